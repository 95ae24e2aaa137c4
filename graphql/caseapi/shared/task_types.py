"""GraphQL views of the skills tasks (TPM/UK): a task with its submissions and grades, and the answer of a task
action (``SkillsTaskReceipt``, the same fields the official TPM endpoints answer with)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from domain.training import tasks as tk
from domain.training.task_messages import TaskView

TaskStatus = strawberry.enum(tk.TaskStatus, name="SkillsTaskStatus")
Verdict = strawberry.enum(tk.Verdict, name="SkillsTaskVerdict")


@strawberry.type(description="One submission of a skills task: the file link and the reflective journal.")
class TaskSubmission:
    url_file: str
    journal: str
    at: dt.datetime
    by: str = strawberry.field(description="participant, or partner:<client code> when the provider forwarded it.")


@strawberry.type(description="The provider's grade of a submission, with its notes.")
class TaskGrade:
    verdict: Verdict
    notes: str
    url_file: str
    at: dt.datetime
    provider_code: str


@strawberry.type(description="A skills task: TPM (sequence 1–998) or UK (999), due within 3×24 h of opening.")
class SkillsTask:
    sequence: int
    scope: str = strawberry.field(description="tpm or uk (the official contract's scope).")
    status: TaskStatus
    opened_at: dt.datetime
    due_at: dt.datetime
    reopened: int
    submissions: list[TaskSubmission]
    grades: list[TaskGrade]


def skills_task_view(k: tk.SkillsTask) -> SkillsTask:
    return SkillsTask(
        sequence=k.sequence,
        scope=k.scope.value,
        status=k.status,
        opened_at=k.opened_at,
        due_at=k.due_at,
        reopened=k.reopened,
        submissions=[TaskSubmission(url_file=s.url_file, journal=s.journal, at=s.at, by=s.by) for s in k.submissions],
        grades=[
            TaskGrade(verdict=g.verdict, notes=g.notes, url_file=g.url_file, at=g.at, provider_code=g.by)
            for g in k.grades
        ],
    )


@strawberry.type(description="A skills task after an action on it.")
class SkillsTaskReceipt:
    redeem_code: str
    voucher_code: str
    course_code: str
    sequence: int
    scope: str
    status: str = strawberry.field(description="OPEN, SUBMITTED, PASSED, REVISE or LAPSED.")
    due_at: dt.datetime | None
    url_file: str
    notes: str


def receipt_view(v: TaskView) -> SkillsTaskReceipt:
    return SkillsTaskReceipt(
        redeem_code=v.redeem_code,
        voucher_code=v.voucher_code,
        course_code=v.course_code,
        sequence=v.sequence,
        scope=v.scope,
        status=v.status,
        due_at=v.due_at,
        url_file=v.url_file,
        notes=v.notes,
    )


SkillsTaskResult = Annotated[
    SkillsTaskReceipt
    | e.SkillsTaskRefused
    | e.RedeemRefused
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("SkillsTaskResult"),
]
