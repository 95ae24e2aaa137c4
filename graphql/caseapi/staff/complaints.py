"""The complaints queue for staff (``complaints``) and its actions (``assignComplaint``, ``answerComplaint``,
``closeComplaint``), within the caller's provinces; every action is audit-logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.complaint_types import Complaint, ComplaintStatus, complaint_view
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.operator import complaints as cm
from domain.operator.actions import AuditEntry


@strawberry.type
class ComplaintQueue:
    items: list[Complaint]


QueueResult = Annotated[
    ComplaintQueue | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("ComplaintQueueResult"),
]
ComplaintResult = Annotated[
    Complaint | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("ComplaintResult"),
]


async def complaints(
    info: Info, status: list[ComplaintStatus] | None = None, overdue_only: bool = False, escalated_only: bool = False
) -> QueueResult:
    """``escalatedOnly``: the supervisors' queue, complaints left unanswered at their service level."""
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    desk = info.context.ports.complaints
    assert desk is not None
    now = dt.datetime.now(dt.UTC)
    wanted = (
        [cm.ComplaintStatus(s) for s in status] if status else [cm.ComplaintStatus.OPEN, cm.ComplaintStatus.ASSIGNED]
    )
    try:
        rows = await desk.queue(
            list(principal.provinces) if principal.provinces is not None else None,
            wanted,
            overdue_at=now if overdue_only else None,
            escalated_only=escalated_only,
        )
    except StoreUnavailable:
        return e.unavailable("The complaints database")
    return ComplaintQueue(items=[complaint_view(c, now) for c in rows])


def _missing() -> e.InvalidArgument:
    return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="No such open complaint in your scope.")


Move = Callable[[cm.ComplaintDesk, str, dt.datetime], Awaitable[cm.Complaint | None]]


async def _act(info: Info, complaint_id: str, action: str, detail: str, move: Move) -> ComplaintResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    desk, audit = info.context.ports.complaints, info.context.ports.desk
    assert desk is not None and audit is not None
    now = dt.datetime.now(dt.UTC)
    try:
        current = await desk.get(complaint_id)
        if current is None or not principal.covers(current.province_code):
            return _missing()
        done = await move(desk, principal.subject, now)
        if done is None:
            return e.InvalidArgument(
                code=ErrorCode.INVALID_ARGUMENT, message=f"The complaint is {current.status.value.lower()}."
            )
        actor = principal.actor
        await audit.audit(
            AuditEntry(now, actor, action, done.case_id, done.category.value, detail, {"complaint": done.id})
        )
    except StoreUnavailable:
        return e.unavailable("The complaints database")
    return complaint_view(done, now)


async def assign_complaint(info: Info, id: strawberry.ID, to: str | None = None) -> ComplaintResult:
    async def move(desk: cm.ComplaintDesk, me: str, now: dt.datetime) -> cm.Complaint | None:
        return await desk.assign(str(id), to or me)

    return await _act(info, str(id), "COMPLAINT_ASSIGNED", f"assigned to {to or 'self'}", move)


async def answer_complaint(info: Info, id: strawberry.ID, answer: str) -> ComplaintResult:
    caller = require(info, Role.STAFF, Role.SUPERVISOR)  # who asks comes before what is wrong with the request
    if not isinstance(caller, Principal):
        return caller
    text = answer.strip()
    if not 5 <= len(text) <= 4000:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="Write an answer of 5–4000 characters.")

    async def move(desk: cm.ComplaintDesk, me: str, now: dt.datetime) -> cm.Complaint | None:
        return await desk.answer(str(id), me, text, now)

    return await _act(info, str(id), "COMPLAINT_ANSWERED", text[:200], move)


async def close_complaint(info: Info, id: strawberry.ID) -> ComplaintResult:
    async def move(desk: cm.ComplaintDesk, me: str, now: dt.datetime) -> cm.Complaint | None:
        return await desk.close(str(id), now)

    return await _act(info, str(id), "COMPLAINT_CLOSED", "closed after the answer", move)
