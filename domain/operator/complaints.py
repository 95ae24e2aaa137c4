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


SLA_WORKING_DAYS = {ComplaintCategory.PAYMENT: 2, ComplaintCategory.CARD: 2}
DEFAULT_SLA_WORKING_DAYS = 3
"""Working days to answer (WIB; weekends, public holidays and cuti bersama off); money and card problems first. An
unanswered complaint is escalated to supervisors when its time is up."""


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
    escalated_at: dt.datetime | None = None
    """When it was handed to supervisors, unanswered at its service level."""

    def overdue(self, now: dt.datetime) -> bool:
        unanswered = self.status in (ComplaintStatus.OPEN, ComplaintStatus.ASSIGNED)
        return unanswered and now > self.sla_due_at


def sla_working_days(category: ComplaintCategory) -> int:
    return SLA_WORKING_DAYS.get(category, DEFAULT_SLA_WORKING_DAYS)


@dataclass(frozen=True, slots=True)
class WatchComplaintInput:
    """Start input of ``ComplaintWorkflow``: escalate the complaint if it is still unanswered at ``due_at``."""

    complaint_id: str
    due_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EscalateInput:
    complaint_id: str
    at: dt.datetime


class ComplaintDesk(Protocol):
    async def file(self, c: Complaint) -> Complaint:
        """Idempotent per (case, request ID): a retried filing returns the first complaint."""
        ...

    async def get(self, complaint_id: str) -> Complaint | None: ...

    async def for_case(self, case_id: str) -> list[Complaint]: ...

    async def queue(
        self,
        provinces: list[str] | None,
        statuses: list[ComplaintStatus],
        *,
        overdue_at: dt.datetime | None,
        escalated_only: bool = False,
    ) -> list[Complaint]:
        """Complaints in these provinces and statuses, most urgent SLA first (only overdue ones if asked)."""
        ...

    async def assign(self, complaint_id: str, to: str) -> Complaint | None: ...

    async def escalate(self, complaint_id: str, at: dt.datetime) -> Complaint | None:
        """Hand an unanswered complaint to supervisors (once); ``None`` when answered, closed or escalated already."""
        ...

    async def answer(self, complaint_id: str, by: str, answer: str, at: dt.datetime) -> Complaint | None: ...

    async def close(self, complaint_id: str, at: dt.datetime) -> Complaint | None: ...
