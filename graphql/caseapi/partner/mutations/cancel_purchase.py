"""``cancelPurchase``: the platform cancels a purchase before the training started; the price is refunded."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.training_types import TrainingReportResult, report_view
from caseapi.shared.updates import run_update
from caseapi.shared.vouchers import voucher_ref
from domain.errors import ErrorCode
from domain.training.messages import CancelRequest, TrainingView
from domain.training.ports import VoucherRef
from domain.training.trainings import Cancellation, Partner, PartnerType
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for


async def cancel_purchase(info: Info, voucher_code: str, reason: str) -> TrainingReportResult:
    partner = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return partner
    if not reason.strip():
        return e.TrainingActionRefused(code=ErrorCode.INVALID_ARGUMENT, message="A reason is required.")
    ref = await voucher_ref(info, voucher_code=voucher_code.strip())
    if not isinstance(ref, VoucherRef):
        return ref
    result = await run_update(
        info.context,
        workflow_id_for(ref.case_id),
        ParticipantWorkflow.cancel_training,
        CancelRequest(ref.voucher_code, partner.client_code, reason.strip(), Cancellation.TRANSACTION.value),
        update_id=update_ids.cancel_purchase(partner.client_code, ref.voucher_code),
    )
    return report_view(result) if isinstance(result, TrainingView) else result
