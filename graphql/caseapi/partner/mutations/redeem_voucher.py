"""``redeemVoucher``: a training provider redeems a participant's code for a session (same rules as the
official REST redeem API)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.redeem_calls import commit_redeem
from caseapi.shared.training_types import RedeemReceipt, TrainingMode, redeem_view
from domain.errors import ErrorCode
from domain.training.messages import RedeemResult
from domain.training.trainings import Partner, PartnerType

RedeemVoucherResult = Annotated[
    RedeemReceipt | e.RedeemRefused | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("RedeemVoucherResult"),
]


async def redeem_voucher(
    info: Info,
    redeem_code: str,
    idempotency_key: str,
    sequence: int = 1,
    training_type: TrainingMode | None = None,
) -> RedeemVoucherResult:
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(partner, Partner):
        return partner
    if not 1 <= len(idempotency_key) <= 100:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="idempotencyKey must be 1–100 chars.")
    result = await commit_redeem(
        info.context, partner.client_code, redeem_code, sequence, training_type, request_key=idempotency_key
    )
    return redeem_view(result) if isinstance(result, RedeemResult) else result
