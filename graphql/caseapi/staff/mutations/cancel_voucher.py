"""``cancelVoucher``: staff cancel a participant's redeem code (fraud, a suspended training); the price is
refunded to the card and the provider's redeem attempts answer "code cancelled"."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.training_types import TrainingReportResult, report_view
from caseapi.shared.updates import run_update
from caseapi.staff.mutations.verify_completion import staff_voucher
from domain.errors import ErrorCode
from domain.training.messages import CancelRequest, TrainingView
from domain.training.trainings import Cancellation
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for


async def cancel_voucher(info: Info, voucher_code: str, reason: str) -> TrainingReportResult:
    caller = require(info, Role.STAFF, Role.SUPERVISOR)  # who asks comes before what is wrong with the request
    if not isinstance(caller, Principal):
        return caller
    if not reason.strip():
        return e.TrainingActionRefused(code=ErrorCode.INVALID_ARGUMENT, message="A reason is required.")
    found = await staff_voucher(info, voucher_code)
    if not isinstance(found, tuple):
        return found
    principal, ref = found
    result = await run_update(
        info.context,
        workflow_id_for(ref.case_id),
        ParticipantWorkflow.cancel_training,
        CancelRequest(ref.voucher_code, f"staff:{principal.subject}", reason.strip(), Cancellation.VOUCHER.value),
        update_id=update_ids.staff_cancel(ref.voucher_code),
    )
    return report_view(result) if isinstance(result, TrainingView) else result
