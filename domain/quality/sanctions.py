"""Sanctions against providers, opened by staff from monitoring findings, with four-eyes approval.

Source: domain.md §5 — suspend the training, revoke the LPK's licence (here: suspend the provider), claw back from
the LPK; and a warning as the mildest step. One staff member opens a sanction with a reason (from a finding); a
supervisor who is not that person approves it; approval is one conditional write, so a second approval (by anyone)
does nothing. A suspension stops new purchases at once (the sale gate reads it on every purchase). Running
vouchers follow the scheme's rule (``RUNNING_VOUCHERS``), which the sources leave open; the rule chosen is
REFUND_UNSTARTED in both schemes: a voucher whose training has not started (no session redeemed) is cancelled and
its price refunded to the card, a started training may finish. Every affected participant is told why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.texts.text import Text, text


class SanctionKind(StrEnum):
    WARNING = "WARNING"
    COURSE_SUSPENSION = "COURSE_SUSPENSION"
    PROVIDER_SUSPENSION = "PROVIDER_SUSPENSION"
    CLAWBACK = "CLAWBACK"


SUSPENSIONS = frozenset({SanctionKind.COURSE_SUSPENSION, SanctionKind.PROVIDER_SUSPENSION})


class SanctionStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class VoucherRule(StrEnum):
    REFUND_UNSTARTED = "REFUND_UNSTARTED"
    """Not started: cancelled and refunded; started: may finish."""
    FINISH_ALL = "FINISH_ALL"
    """Every bought training may finish; only new purchases stop."""


RUNNING_VOUCHERS = {"NORMAL_2023": VoucherRule.REFUND_UNSTARTED, "SEMI_BANSOS_2020": VoucherRule.REFUND_UNSTARTED}


def voucher_rule(scheme_id: str) -> VoucherRule:
    """The scheme's rule (compressed test schemes ``<ID>_X<n>`` follow their base)."""
    base = scheme_id.rpartition("_X")[0] if "_X" in scheme_id else scheme_id
    return RUNNING_VOUCHERS.get(base, VoucherRule.REFUND_UNSTARTED)


@dataclass(frozen=True, slots=True)
class Sanction:
    sanction_id: int
    kind: SanctionKind
    provider_code: str
    course_code: str | None
    amount: int | None
    """Clawback only: integer rupiah owed by the provider."""
    reason: str
    finding_id: int | None
    status: SanctionStatus
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


def open_problems(kind: SanctionKind, course_code: str | None, amount: int | None, reason: str) -> list[str]:
    problems = []
    if not reason.strip() or len(reason) > 2000:
        problems.append("a reason (at most 2,000 characters) is required")
    if (kind is SanctionKind.COURSE_SUSPENSION) != (course_code is not None):
        problems.append("a course code is given exactly for a course suspension")
    if (kind is SanctionKind.CLAWBACK) != (amount is not None) or (amount is not None and amount <= 0):
        problems.append("a positive amount (rupiah) is given exactly for a clawback")
    return problems


def approval_problem(s: Sanction, approver: str) -> str | None:
    if s.requested_by == approver:
        return "four eyes: the person who opened a sanction cannot approve it"
    return None


@dataclass(frozen=True, slots=True)
class AffectedTraining:
    case_id: str
    voucher_code: str
    course_code: str
    title: str
    price: int
    started: bool


def participant_text(s: Sanction, t: AffectedTraining, refunded: bool) -> Text:
    subject = "quality.SUBJECT.PROVIDER" if s.kind is SanctionKind.PROVIDER_SUSPENSION else "quality.SUBJECT.COURSE"
    if refunded:
        return text("notify.SANCTION_REFUNDED", title=t.title, subject=subject, price=t.price)
    return text("notify.SANCTION_CONTINUES", title=t.title, subject=subject)
