"""``reportCompletion`` (the training provider) and ``confirmCompletion`` (the digital platform)."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.training_types import TrainingReportResult, report_view
from caseapi.shared.updates import run_update
from caseapi.shared.vouchers import voucher_ref
from domain.training.messages import CompletionRequest, TrainingView
from domain.training.ports import VoucherRef
from domain.training.trainings import Partner, PartnerType
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for


async def _report(info: Info, voucher_code: str, partner_type: PartnerType, update: object) -> TrainingReportResult:
    partner = await calling_partner(info, partner_type)
    if not isinstance(partner, Partner):
        return partner
    ref = await voucher_ref(info, voucher_code=voucher_code.strip())
    if not isinstance(ref, VoucherRef):
        return ref
    kind = "complete" if update is ParticipantWorkflow.report_completion else "confirm"
    result = await run_update(
        info.context,
        workflow_id_for(ref.case_id),
        update,
        CompletionRequest(ref.voucher_code, partner.client_code),
        update_id=update_ids.training_report(kind, partner.client_code, ref.voucher_code),
    )
    return report_view(result) if isinstance(result, TrainingView) else result


async def report_completion(info: Info, voucher_code: str) -> TrainingReportResult:
    """Idempotent: reporting the same completion again answers the same."""
    return await _report(info, voucher_code, PartnerType.TRAINING_PROVIDER, ParticipantWorkflow.report_completion)


async def confirm_completion(info: Info, voucher_code: str) -> TrainingReportResult:
    """Idempotent: confirming again answers the same; verification and the certificate follow."""
    return await _report(info, voucher_code, PartnerType.DIGITAL_PLATFORM, ParticipantWorkflow.confirm_completion)
