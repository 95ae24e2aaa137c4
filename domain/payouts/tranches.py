"""Incentive payouts (official FAQ on incentives): the linked account, the schedule of tranches and their states.

Every tranche has a business key ``<case>:incentive:<n>`` that never depends on a workflow run. Each attempt to
pay it is a row in ``payments`` keyed ``<case>:incentive:<n>/<attempt>``; the payment partner is called with
that same key, so a retried call is answered from the partner's record instead of paying again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Provider(StrEnum):
    """Banks and e-wallets the programme pays through (the programme's payment partners 2020-2023)."""

    BNI = "BNI"
    BCA = "BCA"
    BRI = "BRI"
    MANDIRI = "MANDIRI"
    OVO = "OVO"
    GOPAY = "GOPAY"
    LINKAJA = "LINKAJA"
    DANA = "DANA"
    SHOPEEPAY = "SHOPEEPAY"


@dataclass(frozen=True, slots=True)
class PayoutAccount:
    """The bank or e-wallet account incentives go to. ``link_no`` counts links over the case's life."""

    provider: Provider
    account_number: str
    holder_name: str
    link_no: int
    linked_at: dt.datetime

    @property
    def masked(self) -> str:
        n = self.account_number
        return "•" * max(len(n) - 4, 0) + n[-4:]


class TrancheStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    """Waiting for its date (job-search) or for its survey to open."""
    SURVEY_OPEN = "SURVEY_OPEN"
    """The survey can be answered until ``survey_due_at``; paid once answered."""
    PAYABLE = "PAYABLE"
    """Due now: the workflow is paying it (or retrying after a transient failure)."""
    PENDING = "PENDING"
    """The partner accepted the transfer and settles it later (generation 4): waits for its report or status."""
    PAID = "PAID"
    FAILED = "FAILED"
    """The partner refused the transfer for an account problem: waits for a relinked account."""
    SURVEY_EXPIRED = "SURVEY_EXPIRED"
    CANCELLED = "CANCELLED"
    """Stopped by a clawback before it was paid."""


OPEN = (TrancheStatus.SCHEDULED, TrancheStatus.SURVEY_OPEN, TrancheStatus.PAYABLE, TrancheStatus.FAILED)


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    employment: str
    """``EMPLOYED``, ``SELF_EMPLOYED``, ``SEEKING`` or ``NOT_SEEKING``."""
    comment: str


@dataclass(frozen=True, slots=True)
class Tranche:
    number: int
    kind: str
    """``JOB_SEARCH`` or ``SURVEY``."""
    amount: int
    key: str
    """Business key ``<case>:incentive:<n>``."""
    status: TrancheStatus
    due_at: dt.datetime
    """Job-search: the payment date. Survey: when the survey opens."""
    survey_due_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    attempt: int = 0
    """Transfer attempts made (each its own payments row)."""
    retry_at: dt.datetime | None = None
    """After a transient failure: when to try again with a new attempt."""
    paid_at: dt.datetime | None = None
    partner_ref: str | None = None
    failure_code: str | None = None
    failure_reason: str | None = None
    failed_link_no: int | None = None
    answer: SurveyAnswer | None = None
    transfer_key: str | None = None
    """PENDING: the payments row (attempt key) the partner accepted and will settle."""
    check_at: dt.datetime | None = None
    """PENDING: when to ask the partner for the transfer's status next (a report makes it now)."""
    checks: int = 0
    """PENDING: status checks made so far (the wait between checks doubles up to a bound)."""


EMPLOYMENT_ANSWERS = ("EMPLOYED", "SELF_EMPLOYED", "SEEKING", "NOT_SEEKING")

# Partner refusals that only a different account can fix; anything else is retried on the same account.
RELINK_CODES = frozenset({"NIK_MISMATCH", "NAME_MISMATCH", "KYC_NOT_VERIFIED", "ACCOUNT_CLOSED", "ACCOUNT_NOT_FOUND"})

TRANSFER_UNCONFIRMED = "TRANSFER_UNCONFIRMED"
"""Not a partner's refusal: ours when the transfer could not be confirmed (the partner or our books were
unreachable; the transfer may still have been made, so the same key is asked again)."""
FAILURE_TEXT = {
    "NIK_MISMATCH": "the account holder's NIK is not yours",
    "NAME_MISMATCH": "the account holder's name is not yours",
    "KYC_NOT_VERIFIED": "the account is not KYC-verified (premium)",
    "ACCOUNT_CLOSED": "the account is closed",
    "ACCOUNT_NOT_FOUND": "the account does not exist",
    "TRANSFER_FAILED": "the transfer failed at the bank",
    TRANSFER_UNCONFIRMED: "the transfer could not be confirmed yet; it is tried again shortly",
}


def tranche_key(case_id: str, number: int) -> str:
    return f"{case_id}:incentive:{number}"


def attempt_key(case_id: str, number: int, attempt: int) -> str:
    return f"{tranche_key(case_id, number)}/{attempt}"


def needs_relink(code: str | None) -> bool:
    return code in RELINK_CODES


def failure_text(code: str | None) -> str:
    return FAILURE_TEXT.get(code or "", f"the transfer was refused ({code})")


def refused_on(incentives: Iterable[Tranche], link_no: int) -> bool:
    """Whether the partner refused a transfer to the account of this link (the participant must fix or change it)."""
    return any(t.status is TrancheStatus.FAILED and t.failed_link_no == link_no for t in incentives)
