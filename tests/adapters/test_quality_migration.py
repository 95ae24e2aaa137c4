"""0019: every course already in the catalogue becomes version 1, LISTED_DIRECTLY, and keeps selling (the sale gate
finds no suspension and the catalogue row is untouched)."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import upgrade
from adapters.db.sale_gate import PgSaleGate
from tests.adapters.test_migrations_online import database  # noqa: F401 - the fixture

COURSE = (
    "INSERT INTO courses (course_code, title, provider_code, platform_code, price, mode, category, sessions, active,"
    " updated_at) VALUES ('old-1', 'Lama', 'lpk', 'dp', 750000, 'WEBINAR', 'Digital', :s, true, now())"
)


async def test_0019_makes_existing_courses_version_1_listed_directly(database):  # noqa: F811
    await asyncio.to_thread(upgrade, database, "0018")
    engine = create_async_engine(database)
    async with engine.begin() as conn:
        await conn.execute(text(COURSE), {"s": json.dumps(["2026-12-01T09:00:00+07:00"])})
    await asyncio.to_thread(upgrade, database, "0019")
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM course_versions WHERE course_code = 'old-1'"))).one()
        price = await conn.scalar(text("SELECT price FROM courses WHERE course_code = 'old-1'"))
    assert (row.version, row.status, row.submitted_by) == (1, "LISTED_DIRECTLY", "system:migration-0019")
    assert row.content["price"] == 750_000 and row.content["sessions"] == ["2026-12-01T09:00:00+07:00"]
    assert price == 750_000 and await PgSaleGate(engine).refusal("old-1", "lpk") is None
    await engine.dispose()
