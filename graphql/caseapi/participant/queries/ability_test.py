"""``abilityTest``: the questions of the attempt in progress (never the answers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.participant.own_case import own_case
from caseapi.shared import errors as e
from caseapi.shared.ability_test_types import AbilityTestSheet, sheet_view
from caseapi.shared.context import Info
from domain.ability_test.attempts import AttemptStatus
from domain.errors import ErrorCode

AbilityTestResult = Annotated[
    AbilityTestSheet | e.NoTestInProgress | e.NoCaseYet | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("AbilityTestResult"),
]


async def ability_test(info: Info) -> AbilityTestResult:
    found = await own_case(info)
    if not isinstance(found, tuple):
        return found
    attempts = found[1].ability_test
    now = dt.datetime.now(dt.UTC)
    if not attempts or attempts[-1].status is not AttemptStatus.IN_PROGRESS or attempts[-1].deadline < now:
        return e.NoTestInProgress(code=ErrorCode.NO_TEST_IN_PROGRESS, message="No test attempt is in progress.")
    bank = info.context.ports.question_bank.version(attempts[-1].bank_version)
    return sheet_view(attempts[-1], bank, now)
