"""What a trained participant should do next about incentives, and what a clawback asks of them."""

from __future__ import annotations

from collections.abc import Sequence

from domain.clawback.saga import Clawback
from domain.clock import WIB
from domain.notifications import rupiah
from domain.payouts.ports import ReceivableStatus
from domain.payouts.schedule import first_certified, prerequisites
from domain.payouts.tranches import PayoutAccount, Tranche, TrancheStatus
from domain.training.trainings import Training


def payout_next_action(
    trainings: Sequence[Training], account: PayoutAccount | None, incentives: Sequence[Tranche]
) -> str | None:
    """``None`` until the first certificate; then the missing prerequisites, a failed payout, an open survey."""
    if first_certified(trainings) is None:
        return None
    if not incentives:
        missing = prerequisites(trainings, account).missing()
        return "To receive your incentives: " + "; ".join(missing) + "." if missing else None
    failed = next((t for t in incentives if t.status is TrancheStatus.FAILED), None)
    if failed is not None:
        return (
            f"Payout failed (gagal dicairkan): {failed.failure_reason}. Unlink your account and link a bank or "
            "e-wallet account in your own name; the payout is retried automatically."
        )
    if account is None and any(t.status is TrancheStatus.PAYABLE for t in incentives):
        return "An incentive is due: link a bank or e-wallet account in your own name to receive it."
    survey = next((t for t in incentives if t.status is TrancheStatus.SURVEY_OPEN), None)
    if survey is not None and survey.survey_due_at is not None:
        due = survey.survey_due_at.astimezone(WIB)
        return f"Answer survey {survey.number} before {due:%d %b %Y %H:%M} WIB to receive {rupiah(survey.amount)}."
    upcoming = [t for t in incentives if t.status in (TrancheStatus.SCHEDULED, TrancheStatus.PAYABLE)]
    if upcoming:
        t = min(upcoming, key=lambda x: x.due_at)
        what = "survey opens" if t.kind == "SURVEY" else f"{rupiah(t.amount)} is paid"
        return f"Next incentive: {what} on {t.due_at.astimezone(WIB):%d %b %Y} WIB."
    paid = sum(t.amount for t in incentives if t.status is TrancheStatus.PAID)
    return f"Your incentives are complete: {rupiah(paid)} paid. See your job recommendations."


def clawback_next_action(c: Clawback) -> str:
    if c.status is ReceivableStatus.REPAID:
        return "The amount reclaimed after the audit is repaid in full; this case is closed."
    if c.status is None or c.due_at is None:
        return "Your case was found ineligible after an audit; the amount to repay is being calculated."
    due = c.due_at.astimezone(WIB)
    if c.status is ReceivableStatus.ESCALATED:
        return f"{rupiah(c.outstanding)} was not repaid by {due:%d %b %Y}; the case was handed over for recovery."
    return (
        f"Found ineligible after an audit: repay {rupiah(c.outstanding)} to the state treasury by {due:%d %b %Y} WIB."
    )
