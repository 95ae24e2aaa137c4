"""``requestAction``: an operator action on a case, with a reason code and text. Single-step actions are carried
out at once; money-affecting and revocation actions wait for a different supervisor's ``approveAction``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.staff.operator.carry_out import carry_out
from caseapi.staff.operator.types import ActionParam, ActionRefused, ActionRequest, OperatorActionKind, request_view
from caseapi.staff.scope import scoped_case
from domain.errors import ErrorCode, StoreUnavailable
from domain.operator import actions as op

ActionResult = Annotated[
    ActionRequest | ActionRefused | e.InvalidArgument | e.CaseNotFound | e.NotAuthenticated | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("ActionResult"),
]  # fmt: skip


def invalid(message: str) -> e.InvalidArgument:
    return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=message)


async def request_action(
    info: Info,
    case_id: strawberry.ID,
    action: OperatorActionKind,
    reason_code: str,
    reason: str,
    params: list[ActionParam] | None = None,
) -> ActionResult:
    caller = require(info, Role.STAFF, Role.SUPERVISOR)  # who asks comes before what is wrong with the request
    if not isinstance(caller, Principal):
        return caller
    values = {p.name: p.value.strip() for p in params or []}
    kind = op.OperatorAction(action)
    if reason_code not in op.REASON_CODES:
        return invalid(f"reasonCode must be one of {', '.join(op.REASON_CODES)}.")
    if not reason.strip() or len(reason) > 2000:
        return invalid("Explain the action in the reason (up to 2000 characters).")
    if (problem := op.params_problem(kind, values)) is not None:
        return invalid(problem)
    found = await scoped_case(info, str(case_id))
    if not isinstance(found, tuple):
        return found
    principal, record = found
    desk = info.context.ports.desk
    assert desk is not None
    now = dt.datetime.now(dt.UTC)
    actor = principal.actor
    four_eyes = kind in op.FOUR_EYES
    req = op.ActionRequest(
        id=uuid.uuid4().hex,
        case_id=record.case_id,
        province_code=record.application.domicile.province_code,
        action=kind,
        params=values,
        reason_code=reason_code,
        reason=reason.strip(),
        requested_by=principal.subject,
        requested_at=now,
        expires_at=now + dt.timedelta(minutes=info.context.config.four_eyes_ttl_minutes),
        status=op.RequestStatus.PENDING if four_eyes else op.RequestStatus.APPROVED,
    )
    try:
        req = await desk.create(req)
        await desk.audit(
            op.AuditEntry(now, actor, f"{kind.value}_REQUESTED", req.case_id, reason_code, req.reason, values, req.id)
        )
        if four_eyes:
            return request_view(req, now)
        done = await carry_out(info, req, actor)
    except StoreUnavailable:
        return e.unavailable("The staff console database")
    return request_view(done, now) if isinstance(done, op.ActionRequest) else done
