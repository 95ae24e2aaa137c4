"""``startAbilityTest``: begin (or resume) an attempt; the 25-minute deadline is a timer in the workflow."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.ability_test_types import AbilityTestSheet, sheet_view
from caseapi.shared.context import Info
from domain.ability_test.attempts import TestAttempt
from domain.ability_test.messages import StartTestRequest
from workflows.participant import ParticipantWorkflow

StartAbilityTestResult = Annotated[
    AbilityTestSheet
    | e.NotEligible
    | e.AbilityTestAlreadyPassed
    | e.NoAttemptsLeft
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("StartAbilityTestResult"),
]


async def start_ability_test(info: Info) -> StartAbilityTestResult:
    result = await update_own_case(
        info,
        ParticipantWorkflow.start_ability_test,
        lambda who, case: (
            StartTestRequest(who.subject),
            update_ids.start_test(who.subject, case.ability_attempts + 1),
        ),
    )
    if not isinstance(result, TestAttempt):
        return result
    bank = info.context.ports.question_bank.version(result.bank_version)
    return sheet_view(result, bank, dt.datetime.now(dt.UTC))
