"""``rateTraining``: the participant rates (1–5) and reviews a certified training (once)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.training_types import TrainingReport, report_view
from domain.training.messages import RatingRequest, TrainingView
from workflows.participant import ParticipantWorkflow

RateTrainingResult = Annotated[
    TrainingReport
    | e.RedeemRefused
    | e.TrainingActionRefused
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("RateTrainingResult"),
]


async def rate_training(info: Info, voucher_code: str, stars: int, review: str = "") -> RateTrainingResult:
    result = await update_own_case(
        info,
        ParticipantWorkflow.rate_training,
        lambda who, _: (
            RatingRequest(who.subject, voucher_code.strip(), stars, review.strip()),
            update_ids.rate_training(voucher_code.strip(), stars, review.strip()),
        ),
    )
    return report_view(result) if isinstance(result, TrainingView) else result
