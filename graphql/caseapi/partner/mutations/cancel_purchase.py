"""``cancelPurchase``: the platform cancels a purchase before the training started; the price is refunded."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.partner.purchase_calls import cancel
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.training_types import TrainingReportResult, report_view
from caseapi.shared.vouchers import voucher_ref
from domain.errors import ErrorCode
from domain.training.messages import TrainingView
from domain.training.ports import VoucherRef
from domain.training.trainings import Partner, PartnerType


async def cancel_purchase(info: Info, voucher_code: str, reason: str) -> TrainingReportResult:
    partner = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return partner
    if not reason.strip():
        return e.TrainingActionRefused(code=ErrorCode.INVALID_ARGUMENT, message="A reason is required.")
    ref = await voucher_ref(info, voucher_code=voucher_code.strip())
    if not isinstance(ref, VoucherRef):
        return ref
    result = await cancel(info.context, partner, ref, reason.strip())
    return report_view(result) if isinstance(result, TrainingView) else result
