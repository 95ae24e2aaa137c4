"""What a trained participant should do next about incentives, and what a clawback asks of them."""

from __future__ import annotations

from collections.abc import Sequence

from domain.clawback.saga import Clawback
from domain.payouts.ports import ReceivableStatus
from domain.payouts.schedule import first_certified, prerequisites
from domain.payouts.tranches import FAILURE_TEXT, PayoutAccount, Tranche, TrancheStatus
from domain.texts.text import Text, text
from domain.training.trainings import Training


def failure_code(code: str | None) -> str:
    """The catalogue code of a payout failure (an unknown partner code reads as a generic refusal)."""
    return f"failure.{code}" if code in FAILURE_TEXT else "failure.OTHER"


def payout_next_action(
    trainings: Sequence[Training], account: PayoutAccount | None, incentives: Sequence[Tranche]
) -> Text | None:
    """``None`` until the first certificate; then the missing prerequisites, a failed payout, an open survey."""
    if first_certified(trainings) is None:
        return None
    if not incentives:
        missing = prerequisites(trainings, account).missing_codes()
        return text("next.PAYOUT.PREREQUISITES", missing=";".join(f"prereq.{m}" for m in missing)) if missing else None
    failed = next((t for t in incentives if t.status is TrancheStatus.FAILED), None)
    if failed is not None:
        return text("next.PAYOUT.FAILED", reason=failure_code(failed.failure_code))
    moving = next((t for t in incentives if t.status is TrancheStatus.PENDING), None)
    if moving is not None:
        return text("next.PAYOUT.TRANSFER_PENDING", amount=moving.amount)
    if account is None and any(t.status is TrancheStatus.PAYABLE for t in incentives):
        return text("next.PAYOUT.LINK_TO_RECEIVE")
    survey = next((t for t in incentives if t.status is TrancheStatus.SURVEY_OPEN), None)
    if survey is not None and survey.survey_due_at is not None:
        return text("next.PAYOUT.SURVEY", number=survey.number, due=survey.survey_due_at, amount=survey.amount)
    upcoming = [t for t in incentives if t.status in (TrancheStatus.SCHEDULED, TrancheStatus.PAYABLE)]
    if upcoming:
        t = min(upcoming, key=lambda x: x.due_at)
        if t.kind == "SURVEY":
            return text("next.PAYOUT.NEXT_SURVEY", due=t.due_at)
        return text("next.PAYOUT.NEXT_PAYMENT", amount=t.amount, due=t.due_at)
    paid = sum(t.amount for t in incentives if t.status is TrancheStatus.PAID)
    return text("next.PAYOUT.COMPLETE", paid=paid)


def clawback_next_action(c: Clawback) -> Text:
    if c.status is ReceivableStatus.REPAID:
        return text("next.CLAWBACK.REPAID")
    if c.status is None or c.due_at is None:
        return text("next.CLAWBACK.CALCULATING")
    if c.status is ReceivableStatus.ESCALATED:
        return text("next.CLAWBACK.ESCALATED", amount=c.outstanding, due=c.due_at)
    return text("next.CLAWBACK.DUE", amount=c.outstanding, due=c.due_at)
