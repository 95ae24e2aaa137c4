"""The course's and provider's timeline: every quality event (submissions, layers, escalations, decisions, direct
listings, samples, findings, sanctions), oldest first, from the append-only ``quality_events``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.quality_tables import quality_events
from adapters.db.unavailable import unavailable_on_db_loss
from domain.quality.ports import QualityEvent


class PgQualityTimeline:
    def __init__(self, engine: AsyncEngine) -> None:
        self._single = autocommit(engine)

    @unavailable_on_db_loss
    async def events(self, *, provider_code: str | None = None, course_code: str | None = None) -> list[QualityEvent]:
        q = quality_events.c
        stmt = select(quality_events).order_by(q.id).limit(1000)
        if provider_code is not None:
            stmt = stmt.where(q.provider_code == provider_code)
        if course_code is not None:
            stmt = stmt.where(q.course_code == course_code)
        async with self._single.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [QualityEvent(r.at, r.actor, r.kind, r.provider_code, r.course_code, dict(r.detail)) for r in rows]
