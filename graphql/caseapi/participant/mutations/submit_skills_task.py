"""``submitSkillsTask``: the participant submits a skills task (TPM 1–998, UK 999) of their training with a file
link and a reflective journal entry, within its 3×24-hour window."""

from __future__ import annotations

from caseapi.participant.own_case import update_own_case
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.task_types import SkillsTaskResult, receipt_view
from domain.training.task_messages import SubmitTaskRequest, TaskView
from workflows.participant import ParticipantWorkflow


async def submit_skills_task(
    info: Info, redeem_code: str, sequence: int, url_file: str, journal: str
) -> SkillsTaskResult:
    """A retry of the submission taken answers the same; a new one after a REVISE grade or a reopening is taken."""
    code = redeem_code.strip()
    result = await update_own_case(
        info,
        ParticipantWorkflow.submit_skills_task,
        lambda who, _: (
            SubmitTaskRequest(code, sequence, url_file.strip(), journal.strip(), account_id=who.subject),
            update_ids.attempt("task-submit", who.subject, code, str(sequence)),
        ),
    )
    return receipt_view(result) if isinstance(result, TaskView) else result
