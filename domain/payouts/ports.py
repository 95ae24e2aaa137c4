"""Ports of incentive payouts: the payment partner (banks, e-wallets), the payments table, reconciliation and
clawback receivables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from domain.payouts.tranches import Provider


class AccountVerdict(StrEnum):
    OK = "OK"
    NOT_FOUND = "ACCOUNT_NOT_FOUND"
    NIK_MISMATCH = "NIK_MISMATCH"
    KYC_NOT_VERIFIED = "KYC_NOT_VERIFIED"
    CLOSED = "ACCOUNT_CLOSED"


@dataclass(frozen=True, slots=True)
class AccountCheck:
    verdict: AccountVerdict
    holder_name: str = ""
    """The holder's name as the partner shows it (masked by the partner, e.g. ``BUDI S***``)."""


@dataclass(frozen=True, slots=True)
class TransferRequest:
    key: str
    """The payments row's key; the partner keeps one transfer per key."""
    case_id: str
    provider: Provider
    account_number: str
    nik: str
    """The beneficiary's NIK: the partner refuses when the account holder is someone else."""
    amount: int
    description: str


class TransferOutcome(StrEnum):
    PAID = "PAID"
    REJECTED = "REJECTED"
    PENDING = "PENDING"
    """Accepted by an asynchronous partner: it settles later (PAID or REJECTED), reported by the partner
    (``reportTransfer``) or found by asking ``transfer_status``."""


@dataclass(frozen=True, slots=True)
class TransferResult:
    key: str
    outcome: TransferOutcome
    at: dt.datetime
    partner_ref: str | None = None
    code: str | None = None
    """Why a transfer was rejected: ``NIK_MISMATCH``, ``ACCOUNT_CLOSED``, ``TRANSFER_FAILED``…"""
    message: str | None = None


class PartnerUnavailable(Exception):
    """Timeout or server error: the transfer may or may not have happened; ask ``transfer_status`` next."""


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One transfer on the partner's daily statement."""

    key: str
    partner_ref: str
    provider: Provider
    account_number: str
    amount: int
    at: dt.datetime


class PaymentPartner(Protocol):
    async def check_account(self, provider: Provider, account_number: str, nik: str) -> AccountCheck: ...

    async def transfer(self, req: TransferRequest) -> TransferResult:
        """Idempotent per ``req.key``: a repeated key returns the first result and never moves money again.
        An asynchronous partner answers ``PENDING`` (accepted, settles later).
        Raises ``PartnerUnavailable`` when the answer is lost (also after the partner committed)."""
        ...

    async def transfer_status(self, key: str) -> TransferResult | None:
        """The partner's record of a key (``PENDING`` while an accepted transfer has not settled), or ``None`` when
        it never received it."""
        ...

    async def statement(self, day: dt.date) -> list[StatementLine]:
        """Transfers paid on ``day`` (Asia/Jakarta calendar day)."""
        ...


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class PaymentRow:
    key: str
    """``<case>:incentive:<n>/<attempt>``."""
    tranche_key: str
    case_id: str
    tranche: int
    attempt: int
    kind: str
    amount: int
    provider: Provider
    account_number: str
    link_no: int
    status: PaymentStatus
    created_at: dt.datetime
    settled_at: dt.datetime | None = None
    partner_ref: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentClaim:
    """What the workflow asks to pay: one attempt of one tranche to one account."""

    case_id: str
    tranche: int
    attempt: int
    kind: str
    amount: int
    provider: Provider
    account_number: str
    link_no: int
    at: dt.datetime


class PaymentStore(Protocol):
    async def claim(self, c: PaymentClaim) -> PaymentRow:
        """The row to act on, committed before returning: the tranche's PAID or PENDING row if one exists
        (whatever its attempt), else the row of this attempt if it exists (a FAILED one after a reset), else a
        new PENDING row for this attempt. At most one non-FAILED row per tranche (unique in PostgreSQL)."""
        ...

    async def settle(self, key: str, result: TransferResult) -> PaymentRow:
        """Record the partner's answer on a PENDING row (PAID or FAILED); a settled row is returned unchanged, and so
        is any row for a ``PENDING`` answer (accepted, not settled yet). Raises ``LookupError`` for an unknown key."""
        ...

    async def settle_once(self, key: str, result: TransferResult) -> tuple[PaymentRow, bool]:
        """``settle``, and whether this call settled the row (``False``: it was settled before, or still pending)."""
        ...

    async def for_case(self, case_id: str) -> list[PaymentRow]: ...

    async def by_keys(self, keys: list[str]) -> list[PaymentRow]: ...

    async def by_tranches(self, tranche_keys: list[str]) -> list[PaymentRow]:
        """Every attempt of these tranches (reconciliation looks for a tranche paid twice across days)."""
        ...

    async def paid_on(self, day: dt.date) -> list[PaymentRow]:
        """Rows settled PAID on ``day`` (Asia/Jakarta)."""
        ...


class DiscrepancyKind(StrEnum):
    UNKNOWN_TRANSFER = "UNKNOWN_TRANSFER"
    """The partner paid a key the programme has no row for."""
    NOT_SETTLED = "NOT_SETTLED"
    """The partner paid, the programme's row is not PAID."""
    MISSING_AT_PARTNER = "MISSING_AT_PARTNER"
    """The programme recorded PAID, the partner's statement does not have it."""
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    ACCOUNT_MISMATCH = "ACCOUNT_MISMATCH"
    DOUBLE_PAYMENT = "DOUBLE_PAYMENT"
    """Two paid transfers for one tranche."""


@dataclass(frozen=True, slots=True)
class Discrepancy:
    day: dt.date
    key: str
    kind: DiscrepancyKind
    detail: str
    case_id: str | None = None
    found_at: dt.datetime | None = None
    status: str = "OPEN"
    id: int | None = None


class ReconciliationStore(Protocol):
    async def record(self, found: list[Discrepancy]) -> int:
        """Insert new discrepancies (unique per day, key and kind); returns how many were new."""
        ...

    async def discrepancies(self, *, status: str | None = "OPEN", limit: int = 100) -> list[Discrepancy]: ...

    async def resolve(self, discrepancy_id: int, *, by: str, note: str, at: dt.datetime) -> bool: ...

    async def mark_run(self, day: dt.date, *, lines: int, rows: int, found: int, at: dt.datetime) -> None: ...


class ReceivableStatus(StrEnum):
    OPEN = "OPEN"
    REPAID = "REPAID"
    ESCALATED = "ESCALATED"
    """The 60 days lapsed unpaid: handed to staff for legal recovery (Perpres 76/2020 art. 31C)."""


@dataclass(frozen=True, slots=True)
class Receivable:
    case_id: str
    training_aid: int
    incentives: int
    reason_code: str
    reason: str
    evidence: str
    opened_at: dt.datetime
    due_at: dt.datetime
    status: ReceivableStatus
    repaid: int = 0
    closed_at: dt.datetime | None = None

    @property
    def amount_due(self) -> int:
        return self.training_aid + self.incentives

    @property
    def outstanding(self) -> int:
        return max(self.amount_due - self.repaid, 0)


@dataclass(frozen=True, slots=True)
class Repayment:
    key: str
    case_id: str
    amount: int
    reference: str
    at: dt.datetime


class ReceivableStore(Protocol):
    async def open(self, r: Receivable) -> Receivable:
        """Idempotent per case: an existing receivable is returned unchanged."""
        ...

    async def repay(self, p: Repayment) -> Receivable:
        """Record a repayment once per key; returns the receivable with the new total repaid."""
        ...

    async def set_status(self, case_id: str, status: ReceivableStatus, at: dt.datetime) -> Receivable: ...

    async def get(self, case_id: str) -> Receivable | None: ...

    async def list(self, *, status: ReceivableStatus | None = None, limit: int = 100) -> list[Receivable]: ...


@dataclass(frozen=True, slots=True)
class PayoutBooks:
    """What staff read and act on about money after training: payments, discrepancies, receivables."""

    payments: PaymentStore
    reconciliation: ReconciliationStore
    receivables: ReceivableStore
