"""Migration 0014 on a populated database: SMS recipients and the phones inside sealed forms become E.164."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import upgrade
from adapters.db.pii import FieldCipher
from tests.adapters.test_pii_migration import old_database  # noqa: F401  (the fixture)
from tests.conftest import TEST_PII_KEYS

_CASE = (
    "INSERT INTO cases (case_id, account_id, kk_index, workflow_id, scheme_id, stage, province_code, "
    "regency_code, full_name, application, decisions, next_action, version, applied_at, updated_at, "
    "ability_test, waves, trainings, balance, payouts) VALUES (:id, :id, :id, 'participant-' || :id, "
    "'NORMAL_2023', 'ELIGIBLE', '32', '32.01', 'Siti Rahmawati', CAST(:app AS jsonb), '[]', '', 1, now(), "
    "now(), '[]', '[]', '[]', 0, '{}')"
)
_NOTE = (
    "INSERT INTO notifications (dedupe_key, case_id, channel, recipient, kind, body, created_at, status, attempts) "
    "VALUES (:key, 'c1', :channel, :to, 'ENROLLED', 'hi', now(), 'SENT', 1)"
)


async def test_0014_normalises_sms_recipients_and_sealed_phones(old_database, monkeypatch):  # noqa: F811
    upgrade(old_database, "0011")
    engine = create_async_engine(old_database)
    typed = {"c1": "0812-3456-7890", "c2": "62 813 1111 2222", "c3": "+6281977778888", "c4": "021 555 1234"}
    async with engine.begin() as conn:
        for case_id, phone in typed.items():
            app = {"email": "siti@example.id", "phone": phone, "full_name": "Siti Rahmawati"}
            await conn.execute(text(_CASE), {"id": case_id, "app": json.dumps(app)})
        for key, channel, to in [("n1", "SMS", "0812 3456 7890"), ("n2", "EMAIL", "siti@example.id"),
                                 ("n3", "SMS", "+6281234567890"), ("n4", "SMS", "12345")]:  # fmt: skip
            await conn.execute(text(_NOTE), {"key": key, "channel": channel, "to": to})
    monkeypatch.setenv("CASE_HMAC_KEY", "migration-key")
    monkeypatch.setenv("PII_KEYS", TEST_PII_KEYS)
    monkeypatch.setenv("PII_ACTIVE_KEY", "pii-test1")
    upgrade(old_database)  # 0012 seals the forms as typed, 0014 normalises inside the seal
    cipher = FieldCipher.from_settings(TEST_PII_KEYS, "pii-test1")
    async with engine.connect() as conn:
        sealed = dict((await conn.execute(text("SELECT case_id, pii FROM cases"))).all())
        notes = dict((await conn.execute(text("SELECT dedupe_key, recipient FROM notifications"))).all())
    await engine.dispose()
    phones = {case_id: json.loads(cipher.open(pii, "cases.pii"))["phone"] for case_id, pii in sealed.items()}
    assert phones == {"c1": "+6281234567890", "c2": "+6281311112222", "c3": "+6281977778888", "c4": "021 555 1234"}
    assert notes == {"n1": "+6281234567890", "n2": "siti@example.id", "n3": "+6281234567890", "n4": "12345"}


async def test_0014_leaves_sealed_rows_for_normalise_on_read_without_keys(old_database, monkeypatch):  # noqa: F811
    upgrade(old_database, "0013")  # an empty table needs no keys up to here
    engine = create_async_engine(old_database)
    cipher = FieldCipher.from_settings(TEST_PII_KEYS, "pii-test1")
    pii = cipher.seal(json.dumps({"phone": "0812 3456 7890"}).encode(), "cases.pii")
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO cases (case_id, account_id, kk_index, workflow_id, scheme_id, stage, province_code, "
                "regency_code, pii, decisions, next_action, version, applied_at, updated_at, ability_test, waves, "
                "trainings, balance, payouts) VALUES ('c9', 'a9', 'k9', 'participant-c9', 'NORMAL_2023', 'ELIGIBLE', "
                "'32', '32.01', :pii, '[]', '', 1, now(), now(), '[]', '[]', '[]', 0, '{}')"
            ),
            {"pii": pii},
        )
    for key in ("PII_KEYS", "PII_ACTIVE_KEY"):
        monkeypatch.delenv(key, raising=False)
    upgrade(old_database, "0014")  # the migration under test (later ones are not)
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT pii FROM cases WHERE case_id = 'c9'")) == pii  # untouched
        assert await conn.scalar(text("SELECT version_num FROM alembic_version")) == "0014"
    await engine.dispose()
