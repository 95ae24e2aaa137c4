"""``answerSurvey``: answer an open evaluation survey of the incentive schedule; its incentive is then paid."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.payout_types import Incentive, SurveyEmployment, incentive_view
from domain.errors import ErrorCode
from domain.payouts import tranches as po
from domain.payouts.messages import SurveyRequest
from workflows.participant import ParticipantWorkflow

AnswerSurveyResult = Annotated[
    Incentive
    | e.SurveyRefused
    | e.ClawbackRefused
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("AnswerSurveyResult"),
]


async def answer_survey(info: Info, number: int, employment: SurveyEmployment, comment: str = "") -> AnswerSurveyResult:
    if len(comment) > 2000:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="The comment is limited to 2000 characters.")
    result = await update_own_case(
        info,
        ParticipantWorkflow.answer_survey,
        lambda who, _: (
            SurveyRequest(who.subject, number, employment.value, comment.strip()),
            update_ids.answer_survey(number),
        ),
    )
    return incentive_view(result) if isinstance(result, po.Tranche) else result
