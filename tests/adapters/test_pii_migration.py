"""Migration 0012 on a populated database: existing applications are sealed, names tokenised, plaintext dropped."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import upgrade
from adapters.db.pii import FieldCipher
from domain.names import search_token
from tests.conftest import TEST_PII_KEYS


@pytest.fixture
async def old_database(pg_url):
    name = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(pg_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await admin.dispose()


async def test_0012_seals_what_was_stored_in_clear(old_database, monkeypatch):
    upgrade(old_database, "0011")
    engine = create_async_engine(old_database)
    application = {"email": "siti@example.id", "phone": "081234567890", "full_name": "Siti Rahmawati"}
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO cases (case_id, account_id, kk_index, workflow_id, scheme_id, stage, province_code, "
                "regency_code, full_name, application, decisions, next_action, version, applied_at, updated_at, "
                "ability_test, waves, trainings, balance, payouts) VALUES ('c1', 'a1', 'k1', 'participant-c1', "
                "'NORMAL_2023', 'ELIGIBLE', '32', '32.01', 'Siti Rahmawati', CAST(:app AS jsonb), '[]', '', 1, now(), "
                "now(), '[]', '[]', '[]', 0, '{}')"
            ),
            {"app": json.dumps(application)},
        )
    with pytest.raises(RuntimeError, match="PII_KEYS"):
        upgrade(old_database)  # refuses to run without the keys; nothing changed
    monkeypatch.setenv("CASE_HMAC_KEY", "migration-key")
    monkeypatch.setenv("PII_KEYS", TEST_PII_KEYS)
    monkeypatch.setenv("PII_ACTIVE_KEY", "pii-test1")
    upgrade(old_database, "0012")  # 0014 then writes the phone in E.164 (test_phone_migration.py)
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT c::text AS txt, pii FROM cases c"))).one()
        names = set((await conn.execute(text("SELECT token FROM case_names WHERE case_id = 'c1'"))).scalars())
    await engine.dispose()
    assert "Siti" not in row.txt and "081234567890" not in row.txt
    cipher = FieldCipher.from_settings(TEST_PII_KEYS, "pii-test1")
    assert json.loads(cipher.open(row.pii, "cases.pii")) == application
    assert search_token("siti rah", b"migration-key") in names
