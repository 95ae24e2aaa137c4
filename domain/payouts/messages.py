"""Wire contracts of incentive payouts and clawback: update payloads, activity inputs and results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.payouts.ports import PaymentClaim, ReceivableStatus
from domain.payouts.tranches import Provider


@dataclass(frozen=True, slots=True)
class LinkAccountRequest:
    account_id: str
    provider: Provider
    account_number: str


@dataclass(frozen=True, slots=True)
class UnlinkAccountRequest:
    account_id: str


@dataclass(frozen=True, slots=True)
class ChangePhoneRequest:
    account_id: str
    phone: str


@dataclass(frozen=True, slots=True)
class SurveyRequest:
    account_id: str
    number: int
    """The survey's tranche number in the schedule."""
    employment: str
    comment: str


@dataclass(frozen=True, slots=True)
class CheckAccountInput:
    provider: Provider
    account_number: str
    nik: str


@dataclass(frozen=True, slots=True)
class PayInput:
    claim: PaymentClaim
    nik: str
    description: str
    accept_pending: bool = False
    """Generation 4: an asynchronous partner's ``PENDING`` (accepted, settles later) is answered as is; older runs
    (the field absent) get a settled answer or none, as before."""


@dataclass(frozen=True, slots=True)
class MarkIneligibleRequest:
    staff_id: str
    reason_code: str
    reason: str
    evidence: str


@dataclass(frozen=True, slots=True)
class RepaymentRequest:
    staff_id: str
    reference: str
    """The bank transfer's reference: one repayment per reference."""
    amount: int


@dataclass(frozen=True, slots=True)
class ReceivableStatusInput:
    case_id: str
    status: ReceivableStatus
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    day: dt.date
    statement_lines: int
    payments: int
    discrepancies: int
    new_discrepancies: int


@dataclass(frozen=True, slots=True)
class OperatorCommand:
    """An operator action carried out on the case (after approval when it needs four eyes)."""

    request_id: str
    action: str
    params: dict[str, str]
    reason_code: str
    reason: str
    staff_id: str
    approved_by: str | None = None
