"""What the partner REST endpoints need from the rest of the system (business answers and the read model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from caseapi.rest.transport import SigningKeys
from domain.training.messages import RedeemResult
from domain.training.task_messages import TaskView
from domain.training.trainings import TrainingMode


@dataclass(frozen=True, slots=True)
class RedeemError:
    """A business refusal (a ``domain.errors.ErrorCode`` value and a message)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class RedeemDetail:
    """A redeem code's state for one sequence, with what the contract adds about its course and schedule."""

    result: RedeemResult
    mode: TrainingMode
    schedule_code: str
    period: tuple[dt.datetime, dt.datetime] | None
    """Start and end of the schedule (or of the session), ``None`` for self-paced trainings."""


@dataclass(frozen=True, slots=True)
class AttendanceLink:
    url: str
    state: str
    mode: TrainingMode


class RedeemGateway(SigningKeys, Protocol):
    """Business answers of the LP endpoints (redeem-code status/commit/reset, url-generate).

    Any method may raise ``domain.errors.StoreUnavailable`` (the endpoint answers 503).
    """

    async def status(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemDetail | RedeemError: ...

    async def commit(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemDetail | RedeemError: ...

    async def reset(self, client_code: str, redeem_code: str) -> RedeemDetail | RedeemError: ...

    async def attendance_link(
        self, client_code: str, redeem_code: str, sequence: int, redirect_uri: str, email: str, base_url: str
    ) -> AttendanceLink | RedeemError:
        """A signed, expiring link to the console's attendance page under ``base_url``."""
        ...


@dataclass(frozen=True, slots=True)
class PaymentReceipt:
    invoice_code: str
    transaction_code: str
    amount: int
    status: str
    """``SUCCESS`` (the purchase stands) | ``CANCELLED`` (voided or the voucher cancelled)."""
    prakerja_name: str
    """The card holder's name, masked (``BUDI S***``)."""
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class OtpIssued:
    request_id: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PurchaseOrder:
    """What a payment token binds, with the platform's invoice (authorize)."""

    prakerja_id: str
    course_code: str
    schedule_code: str
    amount: int
    otp: str
    invoice_code: str
    invoice_url: str


class PaymentGateway(SigningKeys, Protocol):
    """Business answers of the DP payment endpoints. Refusals carry a domain code or a catalogue code."""

    async def quota(self, client_code: str, course_code: str, schedule_code: str) -> int | RedeemError: ...

    async def send_otp(
        self, client_code: str, prakerja_id: str, course_code: str, schedule_code: str, amount: int, request_id: str
    ) -> OtpIssued | RedeemError: ...

    async def authorize(self, client_code: str, order: PurchaseOrder) -> PaymentReceipt | RedeemError: ...

    async def status(self, client_code: str, invoice_code: str) -> PaymentReceipt | RedeemError: ...

    async def void(self, client_code: str, invoice_code: str, transaction_code: str) -> RedeemError | None: ...


class TpmGateway(SigningKeys, Protocol):
    """Business answers of the TPM/UK endpoints (a provider's own codes; sandbox ``PRAT-`` codes apart)."""

    async def submit(self, client_code: str, redeem_code: str, sequence: int, url_file: str) -> TaskView | RedeemError:
        ...

    async def task(self, client_code: str, redeem_code: str, sequence: int) -> TaskView | RedeemError: ...

    async def feedback(
        self, client_code: str, redeem_code: str, sequence: int, verdict: str, notes: str, url_file: str
    ) -> TaskView | RedeemError: ...
