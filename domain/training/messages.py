"""Wire contracts of enrollment and training: update payloads, activity inputs and results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.enrollment.ledger import LedgerEntry
from domain.notifications import Notification
from domain.training.trainings import Course, TrainingMode


@dataclass(frozen=True, slots=True)
class EnrollInput:
    case_id: str
    scheme_id: str
    amount: int
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class EnrollResult:
    card_number: str
    credit: LedgerEntry


@dataclass(frozen=True, slots=True)
class OtpRequest:
    """Update payload of ``request_purchase_otp`` (from a digital platform)."""

    platform_code: str
    course: Course
    price: int
    request_id: str


@dataclass(frozen=True, slots=True)
class OtpSent:
    challenge_id: str
    expires_at: dt.datetime
    phone_hint: str
    """The last digits of the phone the OTP went to."""


@dataclass(frozen=True, slots=True)
class IssueOtpInput:
    case_id: str
    challenge_id: str
    phone: str
    course_title: str
    price: int
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class IssuedOtp:
    salt: str
    digest: str


@dataclass(frozen=True, slots=True)
class PurchaseRequest:
    """Update payload of ``purchase``; the update ID is ``purchase:<platform>:<idempotency key>``."""

    purchase_key: str
    platform_code: str
    course: Course
    price: int
    otp: str


@dataclass(frozen=True, slots=True)
class PurchaseResult:
    purchase_key: str
    invoice_code: str
    voucher_code: str
    redeem_code: str
    course_code: str
    price: int
    balance_after: int
    purchased_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RecordPurchaseInput:
    case_id: str
    card_number: str
    purchase_key: str
    platform_code: str
    course: Course
    price: int
    at: dt.datetime


class PurchaseOutcome(StrEnum):
    """What recording a purchase in the ledger found (the database's own guards, after the workflow's checks)."""

    OK = "OK"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    CARD_INACTIVE = "CARD_INACTIVE"
    SCHEDULE_FULL = "SCHEDULE_FULL"
    """The schedule's quota was taken by other buyers meanwhile."""
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    """The platform's key was already used for another participant's purchase."""


@dataclass(frozen=True, slots=True)
class RecordedPurchase:
    status: PurchaseOutcome
    invoice_code: str = ""
    voucher_code: str = ""
    redeem_code: str = ""
    debit: LedgerEntry | None = None


@dataclass(frozen=True, slots=True)
class RedeemRequest:
    """Update payload of ``redeem`` (a provider, via GraphQL or the official REST contract)."""

    redeem_code: str
    provider_code: str
    sequence: int
    request_key: str
    declared_mode: TrainingMode | None = None


@dataclass(frozen=True, slots=True)
class RedeemResult:
    redeem_code: str
    voucher_code: str
    invoice_code: str
    course_code: str
    schedule_code: str
    status: str
    attendance_status: str
    redeem_at: dt.datetime | None
    dp_platform: str
    sequence: int


@dataclass(frozen=True, slots=True)
class CompletionRequest:
    """Provider reports (``report_completion``) or platform confirms (``confirm_completion``)."""

    voucher_code: str
    partner_code: str


@dataclass(frozen=True, slots=True)
class CancelRequest:
    """Platform cancels a purchase (TRANSACTION) or staff cancel a voucher (VOUCHER)."""

    voucher_code: str
    actor: str
    reason: str
    kind: str
    """``TRANSACTION`` | ``VOUCHER``."""


@dataclass(frozen=True, slots=True)
class TrainingView:
    """What a partner's mutation returns about one training."""

    voucher_code: str
    redeem_code: str
    invoice_code: str
    course_code: str
    status: str
    status_reason: str
    certificate_serial: str | None
    balance_after: int


@dataclass(frozen=True, slots=True)
class LedgerInput:
    """Append one entry (refund or forfeit) to a card's ledger; idempotent on ``entry.entry_key``."""

    case_id: str
    card_number: str
    entry: LedgerEntry


@dataclass(frozen=True, slots=True)
class CancelVoucherInput:
    case_id: str
    voucher_code: str
    kind: str
    """``TRANSACTION`` | ``VOUCHER``."""
    refund: LedgerEntry


@dataclass(frozen=True, slots=True)
class RevokeInput:
    case_id: str
    card_number: str
    forfeit: LedgerEntry | None
    reason: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class CertificateInput:
    case_id: str
    voucher_code: str
    course_code: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class NotifyInput:
    notifications: tuple[Notification, ...]


@dataclass(frozen=True, slots=True)
class ScoreReport:
    """Update payload of ``report_test_score`` (a provider)."""

    voucher_code: str
    provider_code: str
    kind: str
    """``PRE`` | ``POST`` (the redeem contract's post-test is sequence 999)."""
    score: int


@dataclass(frozen=True, slots=True)
class RatingRequest:
    """Update payload of ``rate_training`` (the participant)."""

    account_id: str
    voucher_code: str
    stars: int
    review: str


@dataclass(frozen=True, slots=True)
class ReinstateInput:
    case_id: str
    restore: LedgerEntry | None
    """A REFUND entry giving back what the revocation forfeited."""
    at: dt.datetime
