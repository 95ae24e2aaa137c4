"""A notification keeps its catalogue text next to the body as sent (migration 0015): it comes back from the
outbox as it went in and renders in either language; rows without one (written before) read as sent."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest_asyncio
from sqlalchemy import text as sql

from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.outbox import PgOutbox
from domain.notifications import Channel, Notification, body_of, enrolled_text
from domain.texts import render

AT = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=2, max_overflow=0)
    yield eng
    await eng.dispose()


async def test_the_text_is_kept_with_the_body_and_renders_in_both_languages(engine) -> None:
    case_id = f"texts-{uuid.uuid4().hex[:8]}"
    body, message = body_of(enrolled_text("5000123412341234", 3_500_000, AT))
    assert body == "Selamat! Kartu Prakerja 5000123412341234 aktif dengan saldo Rp3.500.000. " + (
        "Beli pelatihan pertama sebelum 6 Desember 2026 10.00 WIB."
    )
    sent = Notification(f"{case_id}:ENROLLED:SMS", case_id, Channel.SMS, "+6281234567890", "ENROLLED", body, AT,
                        text=message)  # fmt: skip
    assert await PgOutbox(engine).add((sent,)) == 1
    [back] = await PgMarketplace(engine).notifications(case_id)
    assert back.body == body and back.text is not None
    assert render(back.text, "id") == body
    assert render(back.text, "en") == (
        "Congratulations! Kartu Prakerja 5000123412341234 is active with a balance of Rp3.500.000. "
        "Buy your first training before 6 December 2026 10:00 WIB."
    )


async def test_a_row_written_before_the_catalogue_reads_as_sent(engine) -> None:
    case_id = f"texts-{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(
            sql(
                "INSERT INTO notifications (dedupe_key, case_id, channel, recipient, kind, body, created_at, status, "
                "attempts) VALUES (:k, :c, 'SMS', '+6281234567890', 'ENROLLED', 'Selamat! (lama)', :at, 'SENT', 1)"
            ),
            {"k": f"{case_id}:old", "c": case_id, "at": AT},
        )
    [old] = await PgMarketplace(engine).notifications(case_id)
    assert old.text is None and old.body == "Selamat! (lama)"
