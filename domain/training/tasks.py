"""Skills tasks (2023+ scheme): after the sessions the participant submits each task the course sets — Tugas Praktik
Mandiri (TPM, sequence 1–998) and Unjuk Keterampilan (UK, sequence 999) — with a file link and a reflective journal,
within 3×24 h of the task opening; the provider grades it (pass / revise, with notes). The certificate needs
attendance and every task passed (domain.md §5 "Completion rules"; partner-api.md §6 for scope and sequence).

Rules chosen where the sources are silent: tasks open when the provider reports completion (the sessions are over);
a REVISE grade gives a fresh 3×24 h window; a lapsed task can be submitted again only after the provider reopens it
(a fresh window from the reopening); the platform's confirmation waits until every task passed. A submission the
provider forwards through the official endpoint carries no journal (the partner contract has no field for it); one
through the participant API must have one. Pure: the workflow passes ``workflow.now()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from domain.errors import ErrorCode

UK_SEQUENCE = 999
"""Unjuk Keterampilan (the skills demonstration); 1–998 are Tugas Praktik Mandiri."""
TPM_MAX = 998
TASK_WINDOW = dt.timedelta(hours=72)
"""A task must be submitted within 3×24 h of opening (or of a REVISE grade, or of the provider reopening it)."""
MAX_TASKS = 10
MAX_URL = 2000
MAX_JOURNAL = 5000
MAX_NOTES = 2000

Refusal = tuple[ErrorCode, str]


class TaskScope(StrEnum):
    TPM = "tpm"
    UK = "uk"


def scope_of(sequence: int) -> TaskScope:
    return TaskScope.UK if sequence == UK_SEQUENCE else TaskScope.TPM


def valid_sequence(scope: str, sequence: int) -> bool:
    """``tpm`` with 1–998 or ``uk`` with 999 (the official contract's pairs)."""
    if scope == TaskScope.UK:
        return sequence == UK_SEQUENCE
    return scope == TaskScope.TPM and 1 <= sequence <= TPM_MAX


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    """Waiting for the participant's submission until ``due_at``."""
    SUBMITTED = "SUBMITTED"
    """Waiting for the provider's grade."""
    PASSED = "PASSED"
    REVISE = "REVISE"
    """The provider asked for a revision: waiting for a new submission until ``due_at``."""
    LAPSED = "LAPSED"
    """Not submitted in time; only the provider can reopen it."""


AWAITING_PARTICIPANT = frozenset({TaskStatus.OPEN, TaskStatus.REVISE})


class Verdict(StrEnum):
    PASS = "PASS"  # noqa: S105 (a verdict, not a secret)
    REVISE = "REVISE"


@dataclass(frozen=True, slots=True)
class Submission:
    url_file: str
    journal: str
    at: dt.datetime
    by: str
    """``participant`` or ``partner:<client code>`` (a submission the provider forwards)."""


@dataclass(frozen=True, slots=True)
class Grade:
    verdict: Verdict
    notes: str
    url_file: str
    at: dt.datetime
    by: str
    """The provider's client code."""


@dataclass(frozen=True, slots=True)
class SkillsTask:
    sequence: int
    opened_at: dt.datetime
    due_at: dt.datetime
    status: TaskStatus = TaskStatus.OPEN
    submissions: tuple[Submission, ...] = ()
    grades: tuple[Grade, ...] = ()
    reopened: int = 0
    """How many times the provider reopened it after it lapsed."""

    @property
    def scope(self) -> TaskScope:
        return scope_of(self.sequence)


def task_problems(sequences: tuple[int, ...]) -> list[str]:
    """A course's tasks: distinct, each 1–998 (TPM) or 999 (UK), at most ``MAX_TASKS``."""
    problems = []
    if len(set(sequences)) != len(sequences):
        problems.append("skills tasks must be distinct")
    if any(not 1 <= s <= UK_SEQUENCE for s in sequences):
        problems.append(f"skills tasks are 1–{TPM_MAX} (TPM) or {UK_SEQUENCE} (UK)")
    if len(sequences) > MAX_TASKS:
        problems.append(f"at most {MAX_TASKS} skills tasks")
    return problems


def open_tasks(sequences: tuple[int, ...], now: dt.datetime, window: dt.timedelta) -> tuple[SkillsTask, ...]:
    return tuple(SkillsTask(s, now, now + window) for s in sorted(sequences))


def task_of(tasks: tuple[SkillsTask, ...], sequence: int) -> SkillsTask | None:
    return next((k for k in tasks if k.sequence == sequence), None)


def pending(tasks: tuple[SkillsTask, ...]) -> list[int]:
    """The tasks not passed yet (the certificate waits for them)."""
    return [k.sequence for k in tasks if k.status is not TaskStatus.PASSED]


def lapse_due(tasks: tuple[SkillsTask, ...], now: dt.datetime) -> tuple[SkillsTask, ...]:
    """Tasks waiting for the participant past their window are LAPSED."""
    return tuple(
        replace(k, status=TaskStatus.LAPSED) if k.status in AWAITING_PARTICIPANT and now >= k.due_at else k
        for k in tasks
    )


def next_due(tasks: tuple[SkillsTask, ...]) -> dt.datetime | None:
    return min((k.due_at for k in tasks if k.status in AWAITING_PARTICIPANT), default=None)


def _url_ok(url: str) -> bool:
    return url.startswith(("https://", "http://")) and len(url) <= MAX_URL and not any(c.isspace() for c in url)


def _lookup(tasks: tuple[SkillsTask, ...], sequence: int) -> SkillsTask | Refusal:
    task = task_of(tasks, sequence)
    if task is None:
        return ErrorCode.SKILLS_TASK_NOT_FOUND, f"This training sets no skills task {sequence} (or it is not open yet)."
    return task


def submit_refusal(
    tasks: tuple[SkillsTask, ...], sequence: int, *, url_file: str, journal: str, by: str, now: dt.datetime
) -> Refusal | None:
    """Why this submission is refused; ``None`` when it is taken (or is a retry of the one taken)."""
    if not _url_ok(url_file) or len(journal) > MAX_JOURNAL or (by == "participant" and not journal.strip()):
        return ErrorCode.INVALID_ARGUMENT, (
            f"Give an http(s) link to the file (at most {MAX_URL} characters) and a reflective journal entry "
            f"(at most {MAX_JOURNAL} characters)."
        )
    task = _lookup(tasks, sequence)
    if isinstance(task, tuple):
        return task
    last = task.submissions[-1] if task.submissions else None
    if task.status in (TaskStatus.SUBMITTED, TaskStatus.PASSED):
        if last is not None and last.url_file == url_file and last.journal == journal:
            return None  # a retry of the submission taken
        return ErrorCode.SKILLS_TASK_STATE, "This task was already submitted; wait for the provider's grade."
    if task.status is TaskStatus.LAPSED or now >= task.due_at:
        return ErrorCode.SKILLS_TASK_LAPSED, "The 3×24-hour window of this task has passed; the provider can reopen it."
    return None


def submit(task: SkillsTask, submission: Submission) -> SkillsTask:
    if task.status not in AWAITING_PARTICIPANT:
        return task  # a retry
    return replace(task, status=TaskStatus.SUBMITTED, submissions=(*task.submissions, submission))


def grade_refusal(tasks: tuple[SkillsTask, ...], sequence: int, *, verdict: Verdict, notes: str) -> Refusal | None:
    if not notes.strip() or len(notes) > MAX_NOTES:
        return ErrorCode.INVALID_ARGUMENT, f"Grading notes are required (at most {MAX_NOTES} characters)."
    task = _lookup(tasks, sequence)
    if isinstance(task, tuple):
        return task
    last = task.grades[-1] if task.grades else None
    if task.status is TaskStatus.SUBMITTED:
        return None
    if last is not None and (last.verdict, last.notes) == (verdict, notes) and task.status is not TaskStatus.LAPSED:
        return None  # a retry of the grade given
    return ErrorCode.SKILLS_TASK_STATE, "Only a submitted task can be graded."


def grade(task: SkillsTask, g: Grade, window: dt.timedelta) -> SkillsTask:
    if task.status is not TaskStatus.SUBMITTED:
        return task  # a retry
    if g.verdict is Verdict.PASS:
        return replace(task, status=TaskStatus.PASSED, grades=(*task.grades, g))
    return replace(task, status=TaskStatus.REVISE, grades=(*task.grades, g), due_at=g.at + window)


def reopen_refusal(tasks: tuple[SkillsTask, ...], sequence: int) -> Refusal | None:
    task = _lookup(tasks, sequence)
    if isinstance(task, tuple):
        return task
    if task.status is not TaskStatus.LAPSED:
        return ErrorCode.SKILLS_TASK_STATE, "Only a lapsed task can be reopened."
    return None


def reopen(task: SkillsTask, now: dt.datetime, window: dt.timedelta) -> SkillsTask:
    return replace(task, status=TaskStatus.OPEN, opened_at=now, due_at=now + window, reopened=task.reopened + 1)


ASSIGNMENT_STATUS = {
    None: 0,
    TaskStatus.OPEN: 1,
    TaskStatus.REVISE: 1,
    TaskStatus.SUBMITTED: 2,
    TaskStatus.PASSED: 2,
    TaskStatus.LAPSED: 3,
}
"""The official contract's integer ``assignment.status``: 0 no task open, 1 waiting for the participant's
submission, 2 submitted, 3 lapsed (docs/partner-api/errors.md)."""


def assignment_status(task: SkillsTask | None) -> int:
    return ASSIGNMENT_STATUS[task.status if task is not None else None]


def feedback_status(task: SkillsTask | None) -> int:
    """The official ``feedback.status``: 0 not graded (since the last submission), 1 passed, 2 revise."""
    if task is None or task.status is TaskStatus.SUBMITTED or not task.grades:
        return 0
    return 1 if task.grades[-1].verdict is Verdict.PASS else 2
