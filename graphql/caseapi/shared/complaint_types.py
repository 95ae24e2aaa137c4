"""GraphQL view of a complaint (participant and staff)."""

from __future__ import annotations

import datetime as dt

import strawberry

from domain.operator import complaints as cm

ComplaintCategory = strawberry.enum(cm.ComplaintCategory)
ComplaintStatus = strawberry.enum(cm.ComplaintStatus)


@strawberry.type(description="A complaint about a case, answered by programme staff within its SLA.")
class Complaint:
    id: strawberry.ID
    case_id: str
    category: ComplaintCategory
    text: str
    filed_at: dt.datetime
    sla_due_at: dt.datetime
    overdue: bool
    status: ComplaintStatus
    assigned_to: str | None
    answer: str | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None = strawberry.field(
        description="When it was handed to supervisors, unanswered at its service level (working days)."
    )


def complaint_view(c: cm.Complaint, now: dt.datetime | None = None) -> Complaint:
    return Complaint(
        id=strawberry.ID(c.id),
        case_id=c.case_id,
        category=c.category,
        text=c.text,
        filed_at=c.filed_at,
        sla_due_at=c.sla_due_at,
        overdue=c.overdue(now or dt.datetime.now(dt.UTC)),
        status=c.status,
        assigned_to=c.assigned_to,
        answer=c.answer,
        answered_at=c.answered_at,
        closed_at=c.closed_at,
        escalated_at=c.escalated_at,
    )
