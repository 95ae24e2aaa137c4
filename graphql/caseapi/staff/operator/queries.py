"""``pendingActions`` (the approval queue, within the caller's provinces) and ``caseAudit`` (a case's audit log)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.staff.operator.types import ActionRequest, AuditEntry, audit_view, request_view
from caseapi.staff.scope import scoped_case
from domain.errors import StoreUnavailable


@strawberry.type
class ActionQueue:
    items: list[ActionRequest]


@strawberry.type
class AuditLog:
    items: list[AuditEntry]


PendingResult = Annotated[
    ActionQueue | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable, strawberry.union("PendingResult")
]
AuditResult = Annotated[
    AuditLog | e.CaseNotFound | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("AuditResult"),
]


async def pending_actions(info: Info) -> PendingResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    desk = info.context.ports.desk
    assert desk is not None
    now = dt.datetime.now(dt.UTC)
    try:
        rows = await desk.pending(principal.provinces, now)
    except StoreUnavailable:
        return e.unavailable("The staff console database")
    return ActionQueue(items=[request_view(r, now) for r in rows])


async def case_audit(info: Info, case_id: strawberry.ID) -> AuditResult:
    found = await scoped_case(info, str(case_id))
    if not isinstance(found, tuple):
        return found
    desk = info.context.ports.desk
    assert desk is not None
    try:
        rows = await desk.audit_for_case(found[1].case_id)
    except StoreUnavailable:
        return e.unavailable("The staff console database")
    return AuditLog(items=[audit_view(a) for a in rows])
