"""The registry of assessor and monitoring bodies (``BodyRegistry``): which providers each body monitors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.quality_tables import quality_bodies
from adapters.db.unavailable import unavailable_on_db_loss
from domain.quality.bodies import QualityBody


def _body(row: Any) -> QualityBody:
    return QualityBody(
        body_code=row.body_code,
        name=row.name,
        assesses=bool(row.assesses),
        monitors=bool(row.monitors),
        monitored_providers=tuple(row.monitored_providers or ()),
    )


class PgBodyRegistry:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)

    @unavailable_on_db_loss
    async def save_body(self, body: QualityBody) -> None:
        values = {
            "body_code": body.body_code,
            "name": body.name,
            "assesses": body.assesses,
            "monitors": body.monitors,
            "monitored_providers": sorted(set(body.monitored_providers)),
            "updated_at": func.now(),
        }
        stmt = insert(quality_bodies).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[quality_bodies.c.body_code],
            set_={k: stmt.excluded[k] for k in values if k != "body_code"},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    @unavailable_on_db_loss
    async def body(self, body_code: str) -> QualityBody | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(select(quality_bodies).where(quality_bodies.c.body_code == body_code))).first()
        return _body(row) if row is not None else None

    @unavailable_on_db_loss
    async def bodies(self) -> list[QualityBody]:
        async with self._single.connect() as conn:
            rows = (await conn.execute(select(quality_bodies).order_by(quality_bodies.c.body_code))).all()
        return [_body(r) for r in rows]
