"""What an enrolled participant should do next (the dashboard's headline), from the card and the trainings."""

from __future__ import annotations

from domain.clock import WIB
from domain.enrollment.enrollment import CardStatus, Enrollment
from domain.notifications import rupiah
from domain.training.trainings import Training, TrainingStatus, unfinished


def enrolled_next_action(enrollment: Enrollment, trainings: list[Training] | tuple[Training, ...], balance: int) -> str:
    if enrollment.status is CardStatus.REVOKED:
        return f"Your membership was revoked: {enrollment.revoke_reason}"
    current = unfinished(trainings)
    if current is None:
        if not trainings:
            deadline = enrollment.purchase_deadline.astimezone(WIB)
            return (
                f"Your Kartu Prakerja {enrollment.card_number} is active with {rupiah(balance)}. Buy your first "
                f"training on a digital platform before {deadline:%d %b %Y %H:%M} WIB, "
                "or your membership is revoked."
            )
        if balance > 0:
            return f"Training finished. You can buy another training with your remaining {rupiah(balance)}."
        return "Training finished."
    title = current.course.title
    return {
        TrainingStatus.PURCHASED: f"Redeem your code {current.redeem_code} at the provider to start '{title}'.",
        TrainingStatus.IN_TRAINING: f"Attend every session of '{title}' and finish its tasks.",
        TrainingStatus.COMPLETION_REPORTED: f"The provider reported you completed '{title}'; the platform confirms.",
        TrainingStatus.VERIFYING: f"Your completion of '{title}' is being verified; the certificate follows.",
    }[current.status]
