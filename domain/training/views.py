"""What a partner is answered about a training: the purchase receipt, a redeem code's state for one session, the
training's state. Pure: built from the workflow's state, so a retried call gets the first answer."""

from __future__ import annotations

from collections.abc import Sequence

from domain.enrollment.ledger import EntryKind, LedgerEntry
from domain.training.messages import PurchaseResult, RedeemResult, TrainingView
from domain.training.trainings import Training


def purchase_receipt(t: Training, ledger: Sequence[LedgerEntry]) -> PurchaseResult:
    """The receipt of a purchase, with the balance right after its debit (also when asked again later)."""
    position = next(i for i, e in enumerate(ledger) if e.kind is EntryKind.DEBIT and e.reference == t.voucher_code)
    after = sum(
        e.amount if e.kind in (EntryKind.CREDIT, EntryKind.REFUND) else -e.amount for e in ledger[: position + 1]
    )
    return PurchaseResult(
        t.purchase_key,
        t.invoice_code,
        t.voucher_code,
        t.redeem_code,
        t.course.course_code,
        t.price,
        after,
        t.purchased_at,
    )


def redeem_view(t: Training, sequence: int) -> RedeemResult:
    """A redeem code's state for one session (``sequence``)."""
    used = t.redemption(sequence)
    return RedeemResult(
        redeem_code=t.redeem_code,
        voucher_code=t.voucher_code,
        invoice_code=t.invoice_code,
        course_code=t.course.course_code,
        schedule_code=f"{t.course.course_code}-{sequence:03d}",
        status="REDEEMED" if used else ("CANCELLED" if t.cancelled else "UNUSED"),
        attendance_status="ATTENDED" if used else "NOT_ATTENDED",
        redeem_at=used.at if used else None,
        dp_platform=t.course.platform_code,
        sequence=sequence,
    )


def training_view(t: Training, balance: int) -> TrainingView:
    """A training's state, as a partner's or staff's mutation returns it."""
    return TrainingView(
        t.voucher_code,
        t.redeem_code,
        t.invoice_code,
        t.course.course_code,
        t.status.value,
        t.status_reason,
        t.certificate_serial,
        balance,
    )
