"""``submitAbilityTest``: answers for an attempt; refused once its deadline has passed."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import own_case
from caseapi.shared import errors as e
from caseapi.shared.ability_test_types import AbilityTestAttempt, attempt_view
from caseapi.shared.context import Info
from caseapi.shared.updates import run_update
from domain.ability_test import TestAttempt
from domain.errors import ErrorCode
from domain.messages import AnswerChoice, SubmitTestRequest
from workflows.participant import ParticipantWorkflow


@strawberry.input(description="The chosen option (0-based) for one question.")
class AnswerInput:
    question_id: str
    choice: int


@strawberry.input
class SubmitAbilityTestInput:
    attempt: int
    answers: list[AnswerInput]


SubmitAbilityTestResult = Annotated[
    AbilityTestAttempt
    | e.AbilityTestExpired
    | e.NoTestInProgress
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("SubmitAbilityTestResult"),
]


async def submit_ability_test(info: Info, input: SubmitAbilityTestInput) -> SubmitAbilityTestResult:
    if len(input.answers) > 50:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="Too many answers.")
    found = await own_case(info)
    if not isinstance(found, tuple):
        return found
    principal, record = found
    result = await run_update(
        info.context,
        record.workflow_id,
        ParticipantWorkflow.submit_ability_test,
        SubmitTestRequest(
            account_id=principal.subject,
            attempt=input.attempt,
            answers=tuple(AnswerChoice(a.question_id, a.choice) for a in input.answers),
        ),
        update_id=f"submit-test:{principal.subject}:{input.attempt}",
    )
    return attempt_view(result) if isinstance(result, TestAttempt) else result
