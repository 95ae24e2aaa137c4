"""A payment partner's report of a transfer it accepted earlier (``reportTransfer``): settled, with the partner's
reference, or failed, with its reason code. Reports are keyed by the transfer's idempotency key (the ``payments``
row's key, ``<case>:incentive:<n>/<attempt>``), which also names the case the report is routed to.

A report is applied once: the first report of a PENDING transfer settles its row (PostgreSQL lets a row settle
once), every later report is answered with what was recorded: ``DUPLICATE`` when it says the same, ``CONFLICT``
when it contradicts it (failed after settled, settled after failed, another reference). A conflict changes
nothing; the daily reconciliation compares the partner's statement with the books and records the discrepancy
for staff. A report may come before the programme recorded the partner's acceptance: the row exists from before
the partner was called, so it is settled all the same and the case takes it when it looks.

A payment partner reports only transfers to accounts at its own bank or e-wallet: its client code names the
provider (``OVO``, or ``OVO-<suffix>`` for another environment or client of the same provider).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.payouts.ports import PaymentRow, PaymentStatus, TransferOutcome, TransferResult
from domain.payouts.tranches import Provider

MAX_REFERENCE = 64
MAX_REASON = 64


class ReportedOutcome(StrEnum):
    SETTLED = "SETTLED"
    FAILED = "FAILED"


class ReportVerdict(StrEnum):
    APPLIED = "APPLIED"
    """This report settled the transfer."""
    DUPLICATE = "DUPLICATE"
    """Settled before, the same way: nothing changed."""
    CONFLICT = "CONFLICT"
    """Settled before, another way: nothing changed; the recorded result stands (reconciliation looks at it)."""


@dataclass(frozen=True, slots=True)
class TransferReport:
    key: str
    outcome: ReportedOutcome
    partner_ref: str | None = None
    reason_code: str | None = None


def provider_of(client_code: str) -> Provider | None:
    """The bank or e-wallet a payment partner's client code names (``OVO``, ``ovo-sandbox``), if any."""
    head = client_code.strip().split("-", 1)[0].upper()
    return Provider(head) if head in Provider.__members__ else None


def problem(r: TransferReport) -> str | None:
    """What is wrong with a report's fields, if anything."""
    if not r.key.strip() or len(r.key) > 200:
        return "key is the transfer's idempotency key (1–200 characters)."
    ref, reason = (r.partner_ref or "").strip(), (r.reason_code or "").strip()
    if r.outcome is ReportedOutcome.SETTLED and not (0 < len(ref) <= MAX_REFERENCE):
        return f"A settled transfer needs your reference (1–{MAX_REFERENCE} characters)."
    code_ok = 0 < len(reason) <= MAX_REASON and reason.replace("_", "").isalnum()
    if r.outcome is ReportedOutcome.FAILED and not code_ok:
        return "A failed transfer needs a reason code (letters, digits and _, e.g. ACCOUNT_CLOSED)."
    return None


def as_result(r: TransferReport, at: dt.datetime) -> TransferResult:
    if r.outcome is ReportedOutcome.SETTLED:
        return TransferResult(r.key, TransferOutcome.PAID, at, partner_ref=(r.partner_ref or "").strip())
    return TransferResult(r.key, TransferOutcome.REJECTED, at, code=(r.reason_code or "").strip().upper())


def verdict(row: PaymentRow, applied: bool, r: TransferReport) -> ReportVerdict:
    if applied:
        return ReportVerdict.APPLIED
    if row.status is PaymentStatus.PAID and r.outcome is ReportedOutcome.SETTLED:
        same = row.partner_ref == (r.partner_ref or "").strip()
        return ReportVerdict.DUPLICATE if same else ReportVerdict.CONFLICT
    if row.status is PaymentStatus.FAILED and r.outcome is ReportedOutcome.FAILED:
        return ReportVerdict.DUPLICATE
    return ReportVerdict.CONFLICT
