"""What an enrolled participant should do next (the dashboard's headline), from the card and the trainings."""

from __future__ import annotations

from domain.enrollment.enrollment import CardStatus, Enrollment
from domain.texts.text import Text, text
from domain.training.tasks import AWAITING_PARTICIPANT, TaskStatus
from domain.training.trainings import Training, TrainingStatus, unfinished


def enrolled_next_action(
    enrollment: Enrollment, trainings: list[Training] | tuple[Training, ...], balance: int
) -> Text:
    if enrollment.status is CardStatus.REVOKED:
        return text("next.REVOKED")
    current = unfinished(trainings)
    if current is None:
        if not trainings:
            return text(
                "next.FIRST_PURCHASE",
                card=enrollment.card_number,
                balance=balance,
                deadline=enrollment.purchase_deadline,
            )
        if balance > 0:
            return text("next.TRAINING_FINISHED_BALANCE", balance=balance)
        return text("next.TRAINING_FINISHED")
    if current.status is TrainingStatus.COMPLETION_REPORTED and current.tasks:
        return _task_next_action(current)
    return text(f"next.TRAINING.{current.status.value}", code=current.redeem_code, title=current.course.title)


def _task_next_action(t: Training) -> Text:
    """The first task that waits for the participant (or has lapsed); else the provider grades."""
    title = t.course.title
    for task in t.tasks:
        if task.status in AWAITING_PARTICIPANT:
            return text(f"next.TASK.{task.status.value}", task=task.sequence, title=title, due=task.due_at)
    for task in t.tasks:
        if task.status is TaskStatus.LAPSED:
            return text("next.TASK.LAPSED", task=task.sequence, title=title)
    if all(task.status is TaskStatus.PASSED for task in t.tasks):
        return text("next.TRAINING.COMPLETION_REPORTED", code=t.redeem_code, title=title)
    return text("next.TASK.SUBMITTED", title=title)
