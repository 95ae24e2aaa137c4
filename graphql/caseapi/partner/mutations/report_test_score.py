"""``reportTestScore``: a training provider reports the pre-test or post-test score (0–100) of a training."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.training_types import TestKind, TrainingReportResult, report_view
from caseapi.shared.updates import run_update
from caseapi.shared.vouchers import voucher_ref
from domain.training.messages import ScoreReport, TrainingView
from domain.training.ports import VoucherRef
from domain.training.trainings import Partner, PartnerType
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for


async def report_test_score(info: Info, voucher_code: str, kind: TestKind, score: int) -> TrainingReportResult:
    """Idempotent: the same score again answers the same; a different one is refused."""
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(partner, Partner):
        return partner
    ref = await voucher_ref(info, voucher_code=voucher_code.strip())
    if not isinstance(ref, VoucherRef):
        return ref
    result = await run_update(
        info.context,
        workflow_id_for(ref.case_id),
        ParticipantWorkflow.report_test_score,
        ScoreReport(ref.voucher_code, partner.client_code, kind.value, score),
        update_id=update_ids.test_score(partner.client_code, ref.voucher_code, kind.value, score),
    )
    return report_view(result) if isinstance(result, TrainingView) else result
