"""``gradeSkillsTask`` and ``reopenSkillsTask`` (the training provider, for its own courses' codes only), and the
``skillsTask`` query: the same workflow updates and query as the official TPM/UK endpoints."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared.context import Info
from caseapi.shared.task_calls import grade_task, reopen_task, task_status
from caseapi.shared.task_types import SkillsTaskResult, Verdict, receipt_view
from domain.training.task_messages import GradeTaskRequest, TaskRef, TaskView
from domain.training.trainings import Partner, PartnerType


async def grade_skills_task(
    info: Info, redeem_code: str, sequence: int, verdict: Verdict, notes: str, url_file: str = ""
) -> SkillsTaskResult:
    """PASS, or REVISE (the participant gets a fresh 3×24-hour window); notes are required."""
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(partner, Partner):
        return partner
    req = GradeTaskRequest(redeem_code.strip(), partner.client_code, sequence, verdict.value, notes, url_file.strip())
    result = await grade_task(info.context, req)
    return receipt_view(result) if isinstance(result, TaskView) else result  # type: ignore[return-value]


async def reopen_skills_task(info: Info, redeem_code: str, sequence: int) -> SkillsTaskResult:
    """A lapsed task opens again for 3×24 hours."""
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(partner, Partner):
        return partner
    result = await reopen_task(info.context, TaskRef(redeem_code.strip(), partner.client_code, sequence))
    return receipt_view(result) if isinstance(result, TaskView) else result  # type: ignore[return-value]


async def skills_task(info: Info, redeem_code: str, sequence: int) -> SkillsTaskResult:
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(partner, Partner):
        return partner
    result = await task_status(info.context, TaskRef(redeem_code.strip(), partner.client_code, sequence))
    return receipt_view(result) if isinstance(result, TaskView) else result  # type: ignore[return-value]
