"""Sanctions in PostgreSQL (``SanctionStore``): four-eyes approval as one conditional UPDATE, the suspension written
in the same transaction (the sale gate sees it from the next purchase on), the trainings it touches, and what the
affected participants are told (the notifications outbox)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.outbox import PgOutbox
from adapters.db.quality_rows import timeline_event
from adapters.db.quality_tables import sanctions, suspensions
from adapters.db.unavailable import unavailable_on_db_loss
from domain.notifications import Notification
from domain.quality import sanctions as sc

_AFFECTED = text(
    """SELECT v.case_id, v.voucher_code, v.course_code, v.price, t->'course'->>'title' AS title,
              t->>'status' AS status
    FROM vouchers v JOIN cases c ON c.case_id = v.case_id, jsonb_array_elements(c.trainings) AS t
    WHERE v.provider_code = :provider AND (CAST(:course AS text) IS NULL OR v.course_code = :course)
      AND v.status = 'ACTIVE' AND t->>'voucher_code' = v.voucher_code
      AND t->>'status' NOT IN ('CERTIFIED', 'NOT_CERTIFIED', 'CANCELLED')
    ORDER BY v.voucher_code"""
)


def _sanction(row: Any) -> sc.Sanction:
    return sc.Sanction(
        sanction_id=int(row.id),
        kind=sc.SanctionKind(row.kind),
        provider_code=row.provider_code,
        course_code=row.course_code,
        amount=None if row.amount is None else int(row.amount),
        reason=row.reason,
        finding_id=row.finding_id,
        status=sc.SanctionStatus(row.status),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


class PgSanctionStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)
        self._outbox = PgOutbox(engine)

    @unavailable_on_db_loss
    async def open(
        self,
        kind: sc.SanctionKind,
        provider: str,
        course: str | None,
        amount: int | None,
        reason: str,
        finding_id: int | None,
        by: str,
        at: dt.datetime,
    ) -> sc.Sanction:
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    insert(sanctions)
                    .values(
                        kind=kind.value,
                        provider_code=provider,
                        course_code=course,
                        amount=amount,
                        reason=reason,
                        finding_id=finding_id,
                        status=sc.SanctionStatus.PENDING.value,
                        requested_by=by,
                        requested_at=at,
                    )
                    .returning(*sanctions.c)
                )
            ).one()
            await timeline_event(
                conn,
                at,
                by,
                "SANCTION_OPENED",
                provider,
                course,
                sanction=row.id,
                sanction_kind=kind.value,
                amount=amount,
                finding=finding_id,
                reason=reason,
            )
        return _sanction(row)

    @unavailable_on_db_loss
    async def sanction(self, sanction_id: int) -> sc.Sanction | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(select(sanctions).where(sanctions.c.id == sanction_id))).first()
        return _sanction(row) if row is not None else None

    @unavailable_on_db_loss
    async def sanctions(self, status: sc.SanctionStatus | None) -> list[sc.Sanction]:
        stmt = select(sanctions).order_by(sanctions.c.id.desc()).limit(200)
        if status is not None:
            stmt = stmt.where(sanctions.c.status == status.value)
        async with self._single.connect() as conn:
            return [_sanction(r) for r in (await conn.execute(stmt)).all()]

    @unavailable_on_db_loss
    async def decide(self, sanction_id: int, by: str, at: dt.datetime, approve: bool) -> sc.Sanction | None:
        """PENDING → APPROVED (with its suspension) or REJECTED, by someone other than the requester; ``None`` when
        it was not pending (decided before: a second approval does nothing) or the requester tries."""
        s = sanctions.c
        status = sc.SanctionStatus.APPROVED if approve else sc.SanctionStatus.REJECTED
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    update(sanctions)
                    .where(s.id == sanction_id, s.status == sc.SanctionStatus.PENDING.value, s.requested_by != by)
                    .values(status=status.value, decided_by=by, decided_at=at)
                    .returning(*sanctions.c)
                )
            ).first()
            if row is None:
                return None
            decided = _sanction(row)
            if approve and decided.kind in sc.SUSPENSIONS:
                subject = (
                    ("PROVIDER", decided.provider_code)
                    if decided.course_code is None
                    else ("COURSE", decided.course_code)
                )
                await conn.execute(
                    insert(suspensions).values(
                        subject_kind=subject[0], subject_code=subject[1], sanction_id=sanction_id, since=at
                    )
                )
            await timeline_event(
                conn,
                at,
                by,
                f"SANCTION_{status.value}",
                decided.provider_code,
                decided.course_code,
                sanction=sanction_id,
                sanction_kind=decided.kind.value,
                amount=decided.amount,
            )
        return decided

    @unavailable_on_db_loss
    async def affected(self, s: sc.Sanction) -> list[sc.AffectedTraining]:
        """The bought, unfinished trainings a suspension touches (running and not yet started)."""
        async with self._single.connect() as conn:
            rows = (await conn.execute(_AFFECTED, {"provider": s.provider_code, "course": s.course_code})).all()
        return [
            sc.AffectedTraining(
                r.case_id,
                r.voucher_code,
                r.course_code,
                r.title or r.course_code,
                int(r.price),
                started=r.status != "PURCHASED",
            )
            for r in rows
        ]

    @unavailable_on_db_loss
    async def carried_out(self, s: sc.Sanction, by: str, at: dt.datetime, refunded: int, told: int) -> None:
        async with self._engine.begin() as conn:
            await timeline_event(
                conn,
                at,
                by,
                "SANCTION_CARRIED_OUT",
                s.provider_code,
                s.course_code,
                sanction=s.sanction_id,
                refunded=refunded,
                told=told,
            )

    async def tell(self, notifications: tuple[Notification, ...]) -> int:
        return await self._outbox.add(notifications)
