"""``submitAbilityTest``: answers for an attempt; refused once its deadline has passed."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.ability_test_types import AbilityTestAttempt, attempt_view
from caseapi.shared.context import Info
from domain.ability_test.attempts import TestAttempt
from domain.ability_test.messages import AnswerChoice, SubmitTestRequest
from domain.errors import ErrorCode
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
    answers = tuple(AnswerChoice(a.question_id, a.choice) for a in input.answers)
    result = await update_own_case(
        info,
        ParticipantWorkflow.submit_ability_test,
        lambda who, _: (
            SubmitTestRequest(who.subject, input.attempt, answers),
            update_ids.submit_test(who.subject, input.attempt),
        ),
    )
    return attempt_view(result) if isinstance(result, TestAttempt) else result
