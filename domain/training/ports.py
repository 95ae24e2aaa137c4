"""Ports of enrollment and the training marketplace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from domain.enrollment.ledger import LedgerEntry
from domain.notifications import Channel, Notification
from domain.training.messages import RecordedPurchase, RecordPurchaseInput
from domain.training.trainings import Course, Partner


@dataclass(frozen=True, slots=True)
class VoucherRef:
    """Where a voucher or redeem code lives, for routing a partner's call to the right workflow."""

    case_id: str
    voucher_code: str
    redeem_code: str
    provider_code: str
    platform_code: str
    purchase_key: str


class Marketplace(Protocol):
    """Partners, the catalogue, and lookups from partner-facing codes to cases (API side)."""

    async def register_partner(self, partner: Partner, sign_key: str) -> bool:
        """False when the client code is taken."""
        ...

    async def partner(self, client_code: str) -> Partner | None: ...

    async def sign_key(self, client_code: str) -> str | None: ...

    async def upsert_course(self, course: Course) -> None: ...

    async def course(self, course_code: str) -> Course | None: ...

    async def courses(self, *, platform_code: str | None = None, category: str | None = None) -> list[Course]: ...

    async def case_by_card(self, card_number: str) -> str | None: ...

    async def voucher(
        self, *, redeem_code: str | None = None, voucher_code: str | None = None
    ) -> VoucherRef | None: ...

    async def voucher_by_purchase(self, purchase_key: str) -> VoucherRef | None: ...

    async def ledger(self, case_id: str) -> list[LedgerEntry]: ...

    async def notifications(self, case_id: str, *, limit: int = 50) -> list[Notification]: ...

    async def first_use_of_signature(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        """Record a signed request; False when the same signature was seen before (a replay)."""
        ...


class KeyReusedError(ValueError):
    """A platform's purchase key already belongs to another participant's purchase."""


class TrainingLedger(Protocol):
    """Cards, the ledger and certificates (workflow activities). Every write is idempotent on its key."""

    async def enroll(self, case_id: str, scheme_id: str, amount: int, at: dt.datetime) -> tuple[str, LedgerEntry]:
        """Issue the case's card (once) and credit the balance (once); returns the card number and the credit."""
        ...

    async def record_purchase(self, inp: RecordPurchaseInput) -> RecordedPurchase:
        """Debit and create the voucher in one transaction; the same purchase key returns the first result."""
        ...

    async def append(self, case_id: str, entry: LedgerEntry) -> LedgerEntry: ...

    async def cancel_voucher(self, voucher_code: str, kind: str) -> None: ...

    async def revoke(self, case_id: str, *, forfeit: LedgerEntry | None, reason: str, at: dt.datetime) -> None:
        """Card REVOKED, the forfeit appended, and the NIK (case ID = its blind index) blacklisted."""
        ...

    async def reinstate(self, case_id: str, *, restore: LedgerEntry | None, at: dt.datetime) -> None:
        """Card ACTIVE again, the restored balance appended (idempotent on its key), the NIK off the blacklist."""
        ...

    async def issue_certificate(self, case_id: str, voucher_code: str, course_code: str, at: dt.datetime) -> str:
        """The certificate serial for this voucher (the same serial on every retry)."""
        ...


class NotificationOutbox(Protocol):
    async def add(self, notifications: tuple[Notification, ...]) -> int:
        """Insert the new ones (by dedupe key); returns how many were new."""
        ...

    async def claim(self, limit: int) -> list[tuple[int, Notification]]:
        """Pending notifications for sending, locked for this dispatcher."""
        ...

    async def mark(self, outbox_id: int, *, sent: bool, error: str = "") -> None: ...

    async def mark_sent(self, outbox_ids: list[int]) -> None:
        """Several sent at once (a dispatcher's batch): one statement."""
        ...


class NotificationSender(Protocol):
    """The SMS / e-mail gateway."""

    async def send(self, channel: Channel, recipient: str, body: str, *, dedupe_key: str) -> str:
        """The gateway's message ID; raises on failure. The gateway de-duplicates on ``dedupe_key``."""
        ...
