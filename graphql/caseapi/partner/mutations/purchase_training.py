"""``purchaseTraining``: a digital platform buys a training with the participant's card and OTP.

Exactly once: the update ID is the platform's idempotency key, and the workflow answers a repeated key from its
state (also after continue-as-new); the ledger debit is unique on the same key in PostgreSQL.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner, workflow_for_card
from caseapi.partner.courses import platform_course
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.training_types import PurchaseReceipt, receipt_view
from caseapi.shared.updates import run_update
from domain.errors import ErrorCode
from domain.training.messages import PurchaseRequest, PurchaseResult
from domain.training.trainings import Partner, PartnerType
from workflows.participant import ParticipantWorkflow


@strawberry.input(description="A purchase on your platform, paid with a Kartu Prakerja.")
class PurchaseInput:
    card_number: str
    course_code: str
    price: int = strawberry.field(description="Integer rupiah; must equal the catalogue price.")
    otp: str = strawberry.field(description="The code the participant received by SMS (requestPurchaseOtp).")
    idempotency_key: str = strawberry.field(description="Your key for this purchase; a retry gets the same answer.")


PurchaseTrainingResult = Annotated[
    PurchaseReceipt
    | e.CardNotFound
    | e.CourseNotFound
    | e.PurchaseRefused
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("PurchaseTrainingResult"),
]


async def purchase_training(info: Info, input: PurchaseInput) -> PurchaseTrainingResult:
    partner = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return partner
    if not 1 <= len(input.idempotency_key) <= 100 or not input.otp.isdigit():
        return e.InvalidArgument(
            code=ErrorCode.INVALID_ARGUMENT, message="idempotencyKey must be 1–100 chars and otp digits."
        )
    course = await platform_course(info, input.course_code, partner)
    if isinstance(course, e.Error):
        return course
    workflow_id = await workflow_for_card(info, input.card_number)
    if not isinstance(workflow_id, str):
        return workflow_id
    key = f"{partner.client_code}:{input.idempotency_key}"
    result = await run_update(
        info.context,
        workflow_id,
        ParticipantWorkflow.purchase,
        PurchaseRequest(key, partner.client_code, course, input.price, input.otp),
        update_id=update_ids.purchase(key, input.otp),
    )
    if isinstance(result, PurchaseResult):
        if result.course_code != course.course_code or result.price != input.price:
            return e.PurchaseRefused(
                code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
                message="This idempotency key was already used for another purchase.",
            )
        return receipt_view(result, input.idempotency_key)
    return result
