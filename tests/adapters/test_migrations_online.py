"""Migrations from empty build the schema of the snapshot, run with timeouts, do not wait forever behind a
writer, and can be run again after such an interruption; backfills cover every row over several batches."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import upgrade
from tests.adapters.schema_snapshot import schema_lines
from tests.conftest import TEST_PII_KEYS

SNAPSHOT = Path(__file__).with_name("schema_0013.txt")


@pytest.fixture
async def database(pg_url):
    name = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(pg_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await admin.dispose()


async def _upgrade(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


async def test_from_empty_the_schema_is_the_snapshot(database):
    await _upgrade(database, "0013")
    assert await schema_lines(database) == SNAPSHOT.read_text().splitlines()


_CASES = """
INSERT INTO cases (case_id, account_id, kk_index, workflow_id, scheme_id, stage, province_code, regency_code,
  full_name, application, decisions, next_action, version, applied_at, updated_at, waves)
SELECT 'c' || lpad(n::text, 6, '0'), 'a' || n, 'k' || n, 'participant-c' || n, 'NORMAL_2023', 'ELIGIBLE', '32',
  '32.01', 'Siti Rahmawati ' || n, jsonb_build_object('phone', '0812' || lpad(n::text, 8, '0')), '[]', '', 1,
  now() - n * interval '1 second', now(),
  CASE WHEN n % 2 = 0 THEN jsonb_build_array(jsonb_build_object('wave_id', 'W1')) ELSE '[]'::jsonb END
FROM generate_series(1, :n) AS n
"""


async def test_backfills_cover_every_row_in_batches(database, monkeypatch):
    await _upgrade(database, "0010")
    engine = create_async_engine(database)
    async with engine.begin() as conn:
        await conn.execute(text(_CASES), {"n": 12_001})  # 0011: 3 batches of 5,000; 0012: 13 of 1,000
    await _upgrade(database, "0011")
    async with engine.connect() as conn:
        copied = (await conn.execute(text("SELECT count(*) FROM case_waves WHERE wave_id = 'W1'"))).scalar_one()
    assert copied == 6_000
    monkeypatch.setenv("CASE_HMAC_KEY", "migration-key")
    monkeypatch.setenv("PII_KEYS", TEST_PII_KEYS)
    monkeypatch.setenv("PII_ACTIVE_KEY", "pii-test1")
    await _upgrade(database)
    async with engine.connect() as conn:
        sealed = (await conn.execute(text("SELECT count(*) FROM cases WHERE pii IS NOT NULL"))).scalar_one()
        named = (await conn.execute(text("SELECT count(DISTINCT case_id) FROM case_names"))).scalar_one()
        leaked = (await conn.execute(text("SELECT count(*) FROM cases c WHERE c::text LIKE '%Siti%'"))).scalar_one()
    await engine.dispose()
    assert (sealed, named, leaked) == (12_001, 12_001, 0)


async def test_a_migration_behind_a_writer_gives_up_and_runs_again(database, monkeypatch):
    """A transaction that wrote to ``cases`` and stays open: the CONCURRENTLY build of 0011 waits for it only
    ``MIGRATION_LOCK_TIMEOUT``, fails (leaving an INVALID index), and the next run replaces that index."""
    await _upgrade(database, "0010")
    monkeypatch.setenv("MIGRATION_LOCK_TIMEOUT", "1s")
    engine = create_async_engine(database)
    async with engine.connect() as writer:
        await writer.execute(text(_CASES), {"n": 10})  # uncommitted: its transaction stays open
        with pytest.raises(DBAPIError, match="lock timeout"):
            await _upgrade(database, "0011")
        await writer.commit()
    async with engine.connect() as conn:
        left = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        invalid = (await conn.execute(text("SELECT count(*) FROM pg_index WHERE NOT indisvalid"))).scalar_one()
    assert (left, invalid) == ("0010", 1)
    await _upgrade(database, "0011")
    async with engine.connect() as conn:
        invalid = (await conn.execute(text("SELECT count(*) FROM pg_index WHERE NOT indisvalid"))).scalar_one()
        timeouts = (await conn.execute(text("SHOW lock_timeout"))).scalar_one()
    await engine.dispose()
    assert invalid == 0 and timeouts == "0"  # the migration's session settings stay in its own session
