"""Operator action requests and the append-only audit log in PostgreSQL: the ``OperatorDesk`` port.

Approval is one conditional UPDATE (pending, unexpired, someone else's request — the four-eyes rule is also a
CHECK constraint), so two supervisors approving at once cannot both carry the action out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.operator_tables import audit_log, operator_requests
from adapters.db.unavailable import unavailable_on_db_loss
from domain.operator.actions import ActionRequest, AuditEntry, OperatorAction, RequestStatus

R = operator_requests.c


def _request(row: Any) -> ActionRequest:
    return ActionRequest(
        id=row.id,
        case_id=row.case_id,
        province_code=row.province_code,
        action=OperatorAction(row.action),
        params=dict(row.params),
        reason_code=row.reason_code,
        reason=row.reason,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        expires_at=row.expires_at,
        status=RequestStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        result=row.result,
    )


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        actor=row.actor,
        action=row.action,
        case_id=row.case_id,
        reason_code=row.reason_code,
        reason=row.reason,
        detail=dict(row.detail),
        request_id=row.request_id,
        id=row.id,
    )


class PgOperatorDesk:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def create(self, req: ActionRequest) -> ActionRequest:
        values = {
            "id": req.id,
            "case_id": req.case_id,
            "province_code": req.province_code,
            "action": req.action.value,
            "params": req.params,
            "reason_code": req.reason_code,
            "reason": req.reason,
            "requested_by": req.requested_by,
            "requested_at": req.requested_at,
            "expires_at": req.expires_at,
            "status": req.status.value,
            "result": req.result,
        }
        async with self._engine.begin() as conn:
            row = (await conn.execute(insert(operator_requests).values(**values).returning(operator_requests))).one()
        return _request(row)

    @unavailable_on_db_loss
    async def get(self, request_id: str) -> ActionRequest | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(operator_requests).where(R.id == request_id))).first()
        return _request(row) if row is not None else None

    @unavailable_on_db_loss
    async def claim(self, request_id: str, approver: str, now: dt.datetime) -> ActionRequest | None:
        fresh = and_(R.status == RequestStatus.PENDING.value, R.expires_at > now, R.requested_by != approver)
        retry = and_(R.status == RequestStatus.APPROVED.value, R.decided_by == approver)
        stmt = (
            update(operator_requests)
            .where(R.id == request_id, or_(fresh, retry))
            .values(status=RequestStatus.APPROVED.value, decided_by=approver, decided_at=now)
            .returning(operator_requests)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
        return _request(row) if row is not None else None

    @unavailable_on_db_loss
    async def finish(self, request_id: str, status: RequestStatus, result: str, at: dt.datetime) -> ActionRequest:
        values: dict[str, Any] = {"status": status.value, "result": result}
        if status is RequestStatus.REJECTED:
            values["decided_at"] = at
        stmt = update(operator_requests).where(R.id == request_id).values(**values).returning(operator_requests)
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).one()
        return _request(row)

    @unavailable_on_db_loss
    async def reject(self, request_id: str, by: str, at: dt.datetime) -> ActionRequest | None:
        stmt = (
            update(operator_requests)
            .where(R.id == request_id, R.status == RequestStatus.PENDING.value, R.expires_at > at)
            .values(status=RequestStatus.REJECTED.value, decided_by=by, decided_at=at)
            .returning(operator_requests)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
        return _request(row) if row is not None else None

    @unavailable_on_db_loss
    async def pending(self, provinces: list[str] | None, now: dt.datetime) -> list[ActionRequest]:
        stmt = select(operator_requests).where(R.status == RequestStatus.PENDING.value, R.expires_at > now)
        if provinces is not None:
            stmt = stmt.where(R.province_code.in_(provinces))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(R.requested_at).limit(200))).all()
        return [_request(r) for r in rows]

    @unavailable_on_db_loss
    async def audit(self, entry: AuditEntry) -> None:
        values = {
            "at": entry.at,
            "actor": entry.actor,
            "action": entry.action,
            "case_id": entry.case_id,
            "reason_code": entry.reason_code,
            "reason": entry.reason,
            "detail": entry.detail,
            "request_id": entry.request_id,
        }
        async with self._engine.begin() as conn:
            await conn.execute(insert(audit_log).values(**values))

    @unavailable_on_db_loss
    async def audit_for_case(self, case_id: str) -> list[AuditEntry]:
        stmt = select(audit_log).where(audit_log.c.case_id == case_id).order_by(audit_log.c.id)
        async with self._engine.connect() as conn:
            return [_entry(r) for r in (await conn.execute(stmt)).all()]
