"""GraphQL views of operator action requests and audit entries."""

from __future__ import annotations

import datetime as dt

import strawberry

from caseapi.shared import errors as e
from domain.operator import actions as op

OperatorActionKind = strawberry.enum(op.OperatorAction, name="OperatorActionKind")
RequestStatus = strawberry.enum(op.RequestStatus, name="ActionRequestStatus")


@strawberry.input
class ActionParam:
    name: str
    value: str


@strawberry.type
class Param:
    name: str
    value: str


@strawberry.type(description="An operator action: carried out, or waiting for a second (supervisor) approval.")
class ActionRequest:
    id: strawberry.ID
    case_id: str
    action: OperatorActionKind
    params: list[Param]
    reason_code: str
    reason: str
    requested_by: str
    requested_at: dt.datetime
    expires_at: dt.datetime
    status: RequestStatus
    decided_by: str | None
    decided_at: dt.datetime | None
    result: str
    needs_second_approval: bool


def request_view(r: op.ActionRequest, now: dt.datetime) -> ActionRequest:
    return ActionRequest(
        id=strawberry.ID(r.id),
        case_id=r.case_id,
        action=r.action,
        params=[Param(name=k, value=v) for k, v in sorted(r.params.items())],
        reason_code=r.reason_code,
        reason=r.reason,
        requested_by=r.requested_by,
        requested_at=r.requested_at,
        expires_at=r.expires_at,
        status=r.shown_status(now),
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        result=r.result,
        needs_second_approval=r.action in op.FOUR_EYES,
    )


@strawberry.type(description="One line of the append-only audit log.")
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str
    reason_code: str
    reason: str
    request_id: str | None
    detail: list[Param]


def audit_view(a: op.AuditEntry) -> AuditEntry:
    return AuditEntry(
        at=a.at,
        actor=a.actor,
        action=a.action,
        reason_code=a.reason_code,
        reason=a.reason,
        request_id=a.request_id,
        detail=[Param(name=k, value=str(v)) for k, v in sorted(a.detail.items())],
    )


ActionRefused = e.ActionRefused
