"""``purchaseTraining``: a digital platform buys a training with the participant's card and OTP.

Exactly once: the update ID is the platform's idempotency key, and the workflow answers a repeated key from its
state (also after continue-as-new); the ledger debit is unique on the same key in PostgreSQL.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner
from caseapi.partner.purchase_calls import buy, case_for_card, platform_course
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.training_types import PurchaseReceipt, receipt_view
from domain.errors import ErrorCode
from domain.training.messages import PurchaseResult
from domain.training.trainings import Partner, PartnerType


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
    course = await platform_course(info.context, input.course_code, partner)
    if isinstance(course, e.Error):
        return course
    case_id = await case_for_card(info.context, input.card_number)
    if not isinstance(case_id, str):
        return case_id
    result = await buy(info.context, partner, case_id, course, input.price, input.otp, input.idempotency_key)
    return receipt_view(result, input.idempotency_key) if isinstance(result, PurchaseResult) else result
