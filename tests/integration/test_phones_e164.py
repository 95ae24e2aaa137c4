"""Phones typed any common way are stored in E.164: the application, a new phone, and SMS in the outbox (also
from a workflow that still holds a number as it was typed)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text

from adapters.db.outbox import PgOutbox
from adapters.db.pii import pii_cipher
from adapters.db.sealed_forms import SealedForms
from domain.notifications import Channel, Notification
from tests.integration.helpers import apply_person, fresh_clean_person, wait_for_case

MY_PHONE = "query { myCase { __typename ... on Case { id application { phone } } } }"


async def test_apply_stores_the_phone_in_e164(stack):
    person = fresh_clean_person(stack.population)
    case, token = await apply_person(stack, person, phone="0812-3456 7890")
    mine = (await stack.gql("participant", MY_PHONE, token=token))["myCase"]
    assert mine["application"]["phone"] == "+6281234567890"
    await wait_for_case(stack, token, lambda c: c["stage"] in ("ELIGIBLE", "INELIGIBLE"))
    async with stack.engine.connect() as conn:
        sealed = await conn.scalar(text("SELECT pii FROM cases WHERE case_id = :id"), {"id": case["id"]})
    form = SealedForms(pii_cipher(stack.settings), b"unused").open(sealed)
    assert form.phone == "+6281234567890"


async def test_the_outbox_hands_sms_to_the_gateway_in_e164(stack):
    case_id = f"phone-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)
    sms = Notification(f"{case_id}:A", case_id, Channel.SMS, "0812 3456 7890", "ENROLLED", "hi", now)
    mail = Notification(f"{case_id}:B", case_id, Channel.EMAIL, "siti@example.id", "ENROLLED", "hi", now)
    assert await PgOutbox(stack.engine).add((sms, mail)) == 2
    async with stack.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT channel, recipient FROM notifications WHERE case_id = :c ORDER BY channel"), {"c": case_id}
        )
        assert rows.all() == [("EMAIL", "siti@example.id"), ("SMS", "+6281234567890")]
