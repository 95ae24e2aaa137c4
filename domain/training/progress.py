"""What an enrolled participant should do next (the dashboard's headline), from the card and the trainings."""

from __future__ import annotations

from domain.enrollment.enrollment import CardStatus, Enrollment
from domain.texts.text import Text, text
from domain.training.trainings import Training, unfinished


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
    return text(f"next.TRAINING.{current.status.value}", code=current.redeem_code, title=current.course.title)
