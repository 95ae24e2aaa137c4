"""``verifyCompletion``: programme staff verify a confirmed completion now (the timer is the upper bound);
the certificate is issued when the completion rules hold, otherwise the reason is recorded."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.training_types import TrainingReportResult, report_view
from caseapi.shared.updates import run_update
from caseapi.shared.vouchers import voucher_ref
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.messages import CompletionRequest, TrainingView
from domain.training.ports import VoucherRef
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for


async def staff_voucher(info: Info, voucher_code: str) -> tuple[Principal, VoucherRef] | TrainingReportResult:
    """The voucher, if its case is in the staff member's province scope (else it looks missing)."""
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    ref = await voucher_ref(info, voucher_code=voucher_code.strip())
    if not isinstance(ref, VoucherRef):
        return ref
    try:
        record = await info.context.ports.reader.by_id(ref.case_id)
    except StoreUnavailable:
        return e.unavailable("The case database")
    if record is None or not principal.covers(record.application.domicile.province_code):
        return e.RedeemRefused(code=ErrorCode.REDEEM_CODE_NOT_FOUND, message="There is no such voucher in your scope.")
    return principal, ref


async def verify_completion(info: Info, voucher_code: str) -> TrainingReportResult:
    found = await staff_voucher(info, voucher_code)
    if not isinstance(found, tuple):
        return found
    principal, ref = found
    result = await run_update(
        info.context,
        workflow_id_for(ref.case_id),
        ParticipantWorkflow.verify_completion,
        CompletionRequest(ref.voucher_code, f"staff:{principal.subject}"),
        update_id=update_ids.verify_completion(ref.voucher_code),
    )
    return report_view(result) if isinstance(result, TrainingView) else result
