"""Complaints (the programme's contact centre): a participant files one from their case; staff work a queue against an
SLA."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ComplaintCategory(StrEnum):
    PAYMENT = "PAYMENT"
    TRAINING = "TRAINING"
    CARD = "CARD"
    DATA_CORRECTION = "DATA_CORRECTION"
    SELECTION = "SELECTION"
    OTHER = "OTHER"


SLA = {
    ComplaintCategory.PAYMENT: dt.timedelta(days=2),
    ComplaintCategory.CARD: dt.timedelta(days=2),
}
DEFAULT_SLA = dt.timedelta(days=3)
"""Time to answer; money and card problems first."""


class ComplaintStatus(StrEnum):
    OPEN = "OPEN"
    ASSIGNED = "ASSIGNED"
    ANSWERED = "ANSWERED"
    CLOSED = "CLOSED"


@dataclass(frozen=True, slots=True)
class Complaint:
    id: str
    case_id: str
    province_code: str
    request_id: str
    category: ComplaintCategory
    text: str
    filed_at: dt.datetime
    sla_due_at: dt.datetime
    status: ComplaintStatus = ComplaintStatus.OPEN
    assigned_to: str | None = None
    answer: str | None = None
    answered_by: str | None = None
    answered_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    def overdue(self, now: dt.datetime) -> bool:
        unanswered = self.status in (ComplaintStatus.OPEN, ComplaintStatus.ASSIGNED)
        return unanswered and now > self.sla_due_at


def sla_due(category: ComplaintCategory, filed_at: dt.datetime) -> dt.datetime:
    return filed_at + SLA.get(category, DEFAULT_SLA)


class ComplaintDesk(Protocol):
    async def file(self, c: Complaint) -> Complaint:
        """Idempotent per (case, request ID): a retried filing returns the first complaint."""
        ...

    async def get(self, complaint_id: str) -> Complaint | None: ...

    async def for_case(self, case_id: str) -> list[Complaint]: ...

    async def queue(
        self, provinces: list[str] | None, statuses: list[ComplaintStatus], *, overdue_at: dt.datetime | None
    ) -> list[Complaint]:
        """Complaints in these provinces and statuses, most urgent SLA first (only overdue ones if asked)."""
        ...

    async def assign(self, complaint_id: str, to: str) -> Complaint | None: ...

    async def answer(self, complaint_id: str, by: str, answer: str, at: dt.datetime) -> Complaint | None: ...

    async def close(self, complaint_id: str, at: dt.datetime) -> Complaint | None: ...
