"""``approveAction`` / ``rejectAction``: a supervisor other than the requester decides a pending four-eyes
request before it expires; an approved request is carried out exactly once."""

from __future__ import annotations

import datetime as dt

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.staff.operator.carry_out import carry_out
from caseapi.staff.operator.request_action import ActionResult
from caseapi.staff.operator.types import ActionRefused, request_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.operator import actions as op


def refused(code: ErrorCode, message: str) -> ActionRefused:
    return ActionRefused(code=code, message=message)


async def _pending(info: Info, request_id: str) -> tuple[Principal, op.ActionRequest] | ActionResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    desk = info.context.ports.desk
    assert desk is not None
    req = await desk.get(request_id)
    if req is None or not principal.covers(req.province_code):
        return refused(ErrorCode.REQUEST_NOT_FOUND, "No such request in your scope.")
    return principal, req


async def approve_action(info: Info, request_id: strawberry.ID) -> ActionResult:
    try:
        found = await _pending(info, str(request_id))
        if not isinstance(found, tuple):
            return found
        principal, req = found
        desk = info.context.ports.desk
        assert desk is not None
        now = dt.datetime.now(dt.UTC)
        retry = req.status is op.RequestStatus.APPROVED and req.decided_by == principal.subject
        why = None if retry else op.approval_refusal(
            req, principal.subject, is_supervisor=principal.role is Role.SUPERVISOR, now=now
        )  # fmt: skip
        if why is not None:
            return refused(ErrorCode.FOUR_EYES_REQUIRED, why)
        claimed = await desk.claim(req.id, principal.subject, now)
        if claimed is None:
            return refused(ErrorCode.FOUR_EYES_REQUIRED, "The request expired or was decided by someone else.")
        actor = f"supervisor:{principal.subject}"
        await desk.audit(
            op.AuditEntry(now, actor, f"{req.action.value}_APPROVED", req.case_id, req.reason_code, req.reason,
                          {}, req.id)
        )  # fmt: skip
        done = await carry_out(info, claimed, actor)
    except StoreUnavailable:
        return e.unavailable("The staff console database")
    return request_view(done, now) if isinstance(done, op.ActionRequest) else done


async def reject_action(info: Info, request_id: strawberry.ID, reason: str) -> ActionResult:
    try:
        found = await _pending(info, str(request_id))
        if not isinstance(found, tuple):
            return found
        principal, req = found
        if principal.role is not Role.SUPERVISOR or principal.subject == req.requested_by:
            return refused(ErrorCode.FOUR_EYES_REQUIRED, "Only another supervisor can reject the request.")
        desk = info.context.ports.desk
        assert desk is not None
        now = dt.datetime.now(dt.UTC)
        done = await desk.reject(req.id, principal.subject, now)
        if done is None:
            return refused(ErrorCode.FOUR_EYES_REQUIRED, "The request is not pending any more.")
        await desk.audit(
            op.AuditEntry(now, f"supervisor:{principal.subject}", f"{req.action.value}_REJECTED", req.case_id,
                          req.reason_code, reason.strip() or req.reason, {}, req.id)
        )  # fmt: skip
    except StoreUnavailable:
        return e.unavailable("The staff console database")
    return request_view(done, now)
