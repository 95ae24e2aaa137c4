"""What a transfer's answer does to its tranche (pure): paid; refused for a reason the participant must fix by
linking another account (FAILED, told why); or transient (tried again later with the same attempt's key). Also the
typed refusals of an account the payment partner will not pay to."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from domain.errors import ErrorCode
from domain.notifications import paid_text, payout_failed_text, transfer_pending_text
from domain.payouts.ports import AccountVerdict, PaymentRow, PaymentStatus
from domain.payouts.progress import failure_code
from domain.payouts.tranches import PayoutAccount, Tranche, TrancheStatus, failure_text, needs_relink
from domain.texts.text import Text

ACCOUNT_REFUSALS = {
    AccountVerdict.NOT_FOUND: (ErrorCode.ACCOUNT_NOT_FOUND, "The partner has no such account."),
    AccountVerdict.NIK_MISMATCH: (
        ErrorCode.NIK_MISMATCH,
        "The account holder's NIK is not yours; incentives are paid only to the participant.",
    ),
    AccountVerdict.KYC_NOT_VERIFIED: (
        ErrorCode.KYC_NOT_VERIFIED,
        "The account is not KYC-verified (upgrade it to premium at the bank or e-wallet first).",
    ),
    AccountVerdict.CLOSED: (ErrorCode.ACCOUNT_CLOSED, "The account is closed."),
}
"""Why an account cannot be linked: incentives are paid only to the participant's own KYC-verified account."""


@dataclass(frozen=True, slots=True)
class Settlement:
    tranche: Tranche
    """The tranche after the partner's answer."""
    note: tuple[str, Text, str] | None = None
    """What the participant is told: notification kind, text and key (``None``: nothing to tell)."""


def next_check(checks: int, *, first: dt.timedelta, bound: dt.timedelta) -> dt.timedelta:
    """The wait before status check ``checks + 1`` of an accepted transfer: ``first``, doubling, at most ``bound``."""
    return min(first * 2 ** min(checks, 30), bound)


def pending(
    t: Tranche, row: PaymentRow, attempt: int, *, now: dt.datetime, first: dt.timedelta, reported: bool
) -> Settlement:
    """The partner accepted attempt ``attempt`` (row ``row``) and settles it later: the tranche waits for its report
    (``reported``: it came already, check now) or its first status check; the participant is told it is on its way."""
    waiting = dataclasses.replace(
        t,
        status=TrancheStatus.PENDING,
        attempt=attempt,
        transfer_key=row.key,
        check_at=now if reported else now + first,
        checks=0,
        retry_at=None,
        failure_code=None,
        failure_reason=None,
    )
    return Settlement(waiting, ("INCENTIVE_PENDING", transfer_pending_text(t.amount, t.kind), f"{t.number}:{attempt}"))


def settle(
    t: Tranche, account: PayoutAccount, row: PaymentRow, attempt: int, *, now: dt.datetime, retry_after: dt.timedelta
) -> Settlement:
    """The tranche after attempt ``attempt`` was answered with ``row``."""
    t = dataclasses.replace(t, transfer_key=None, check_at=None, checks=0) if t.transfer_key else t
    if row.status is PaymentStatus.PAID:
        paid = dataclasses.replace(
            t, status=TrancheStatus.PAID, attempt=attempt, paid_at=now, partner_ref=row.partner_ref, retry_at=None
        )
        return Settlement(paid, ("INCENTIVE_PAID", paid_text(t.amount, t.kind, account.masked), str(t.number)))
    if needs_relink(row.failure_code) and row.link_no == account.link_no:
        reason = failure_text(row.failure_code)
        failed = dataclasses.replace(
            t,
            status=TrancheStatus.FAILED,
            attempt=attempt,
            failure_code=row.failure_code,
            failure_reason=reason,
            failed_link_no=row.link_no,
            retry_at=None,
        )
        body = payout_failed_text(t.amount, failure_code(row.failure_code))
        return Settlement(failed, ("PAYOUT_FAILED", body, f"{t.number}:{attempt}"))
    # A transient failure, or an old account's refusal replayed after a reset: try again later.
    retry = now + (retry_after if row.link_no == account.link_no else dt.timedelta(0))
    again = dataclasses.replace(
        t,
        status=TrancheStatus.PAYABLE if t.status is TrancheStatus.PENDING else t.status,
        attempt=attempt,
        failure_code=row.failure_code,
        failure_reason=failure_text(row.failure_code),
        retry_at=retry,
    )
    return Settlement(again)
