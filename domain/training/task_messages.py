"""Wire contracts of the skills tasks: update payloads and what a task looks like to the participant, the provider
and staff (``task_view``, pure, from the workflow's state so a retried call gets the same answer)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.training.tasks import SkillsTask, assignment_status, feedback_status, scope_of
from domain.training.trainings import Training


@dataclass(frozen=True, slots=True)
class SubmitTaskRequest:
    """Update payload of ``submit_skills_task``: the participant (``account_id``) or the provider forwarding it
    through the official endpoint (``provider_code``)."""

    redeem_code: str
    sequence: int
    url_file: str
    journal: str
    account_id: str = ""
    provider_code: str = ""

    @property
    def by(self) -> str:
        return f"partner:{self.provider_code}" if self.provider_code else "participant"


@dataclass(frozen=True, slots=True)
class GradeTaskRequest:
    """Update payload of ``grade_skills_task`` (the provider): ``PASS`` or ``REVISE`` with notes."""

    redeem_code: str
    provider_code: str
    sequence: int
    verdict: str
    notes: str
    url_file: str = ""


@dataclass(frozen=True, slots=True)
class TaskRef:
    """Update payload of ``reopen_skills_task`` and argument of the ``skills_task`` query (the provider)."""

    redeem_code: str
    provider_code: str
    sequence: int


@dataclass(frozen=True, slots=True)
class TaskView:
    redeem_code: str
    voucher_code: str
    course_code: str
    sequence: int
    scope: str
    status: str
    """OPEN | SUBMITTED | PASSED | REVISE | LAPSED; ``NONE`` when the training sets no such task (yet)."""
    assignment_status: int
    feedback_status: int
    submission_id: int
    """1-based number of the latest submission (0: none)."""
    grade_id: int
    due_at: dt.datetime | None
    url_file: str
    journal: str
    notes: str
    feedback_url_file: str


def task_view(t: Training, sequence: int, task: SkillsTask | None) -> TaskView:
    last = task.submissions[-1] if task and task.submissions else None
    graded = task.grades[-1] if task and task.grades else None
    return TaskView(
        redeem_code=t.redeem_code,
        voucher_code=t.voucher_code,
        course_code=t.course.course_code,
        sequence=sequence,
        scope=scope_of(sequence).value,
        status=task.status.value if task else "NONE",
        assignment_status=assignment_status(task),
        feedback_status=feedback_status(task),
        submission_id=len(task.submissions) if task else 0,
        grade_id=len(task.grades) if task else 0,
        due_at=task.due_at if task else None,
        url_file=last.url_file if last else "",
        journal=last.journal if last else "",
        notes=graded.notes if graded else "",
        feedback_url_file=graded.url_file if graded else "",
    )
