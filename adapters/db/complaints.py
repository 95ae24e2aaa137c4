"""Complaints in PostgreSQL: the ``ComplaintDesk`` port. Status moves are conditional UPDATEs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.operator_tables import complaints
from adapters.db.unavailable import unavailable_on_db_loss
from domain.operator.complaints import Complaint, ComplaintCategory, ComplaintStatus

C = complaints.c
UNANSWERED = (ComplaintStatus.OPEN.value, ComplaintStatus.ASSIGNED.value)


def _complaint(row: Any) -> Complaint:
    return Complaint(
        id=row.id,
        case_id=row.case_id,
        province_code=row.province_code,
        request_id=row.request_id,
        category=ComplaintCategory(row.category),
        text=row.text,
        filed_at=row.filed_at,
        sla_due_at=row.sla_due_at,
        status=ComplaintStatus(row.status),
        assigned_to=row.assigned_to,
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=row.answered_at,
        closed_at=row.closed_at,
        escalated_at=row.escalated_at,
    )


class PgComplaintDesk:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def file(self, c: Complaint) -> Complaint:
        values = {
            "id": c.id,
            "case_id": c.case_id,
            "province_code": c.province_code,
            "request_id": c.request_id,
            "category": c.category.value,
            "text": c.text,
            "filed_at": c.filed_at,
            "sla_due_at": c.sla_due_at,
            "status": c.status.value,
        }
        async with self._engine.begin() as conn:
            await conn.execute(insert(complaints).values(**values).on_conflict_do_nothing())
            row = (
                await conn.execute(select(complaints).where(C.case_id == c.case_id, C.request_id == c.request_id))
            ).one()
        return _complaint(row)

    @unavailable_on_db_loss
    async def get(self, complaint_id: str) -> Complaint | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(complaints).where(C.id == complaint_id))).first()
        return _complaint(row) if row is not None else None

    @unavailable_on_db_loss
    async def for_case(self, case_id: str) -> list[Complaint]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(complaints).where(C.case_id == case_id).order_by(C.filed_at))).all()
        return [_complaint(r) for r in rows]

    @unavailable_on_db_loss
    async def queue(
        self,
        provinces: list[str] | None,
        statuses: list[ComplaintStatus],
        *,
        overdue_at: dt.datetime | None,
        escalated_only: bool = False,
    ) -> list[Complaint]:
        stmt = select(complaints).where(C.status.in_([s.value for s in statuses]))
        if escalated_only:
            stmt = stmt.where(C.escalated_at.is_not(None))
        if provinces is not None:
            stmt = stmt.where(C.province_code.in_(provinces))
        if overdue_at is not None:
            stmt = stmt.where(C.sla_due_at < overdue_at, C.status.in_(UNANSWERED))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(C.sla_due_at, C.id).limit(200))).all()
        return [_complaint(r) for r in rows]

    async def _move(self, complaint_id: str, allowed: tuple[str, ...], **values: Any) -> Complaint | None:
        stmt = (
            update(complaints).where(C.id == complaint_id, C.status.in_(allowed)).values(**values).returning(complaints)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
        return _complaint(row) if row is not None else None

    @unavailable_on_db_loss
    async def escalate(self, complaint_id: str, at: dt.datetime) -> Complaint | None:
        stmt = (
            update(complaints)
            .where(C.id == complaint_id, C.status.in_(UNANSWERED), C.escalated_at.is_(None))
            .values(escalated_at=at)
            .returning(complaints)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
        return _complaint(row) if row is not None else None

    @unavailable_on_db_loss
    async def assign(self, complaint_id: str, to: str) -> Complaint | None:
        return await self._move(complaint_id, UNANSWERED, status=ComplaintStatus.ASSIGNED.value, assigned_to=to)

    @unavailable_on_db_loss
    async def answer(self, complaint_id: str, by: str, answer: str, at: dt.datetime) -> Complaint | None:
        return await self._move(
            complaint_id,
            UNANSWERED,
            status=ComplaintStatus.ANSWERED.value,
            answer=answer,
            answered_by=by,
            answered_at=at,
        )

    @unavailable_on_db_loss
    async def close(self, complaint_id: str, at: dt.datetime) -> Complaint | None:
        return await self._move(
            complaint_id, (ComplaintStatus.ANSWERED.value,), status=ComplaintStatus.CLOSED.value, closed_at=at
        )
