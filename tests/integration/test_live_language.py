"""The live status speaks the language its socket asked for (``lang`` in ``connection_init``; Indonesian without):
the first status and every change after it."""

from __future__ import annotations

import contextlib
import json

import websockets

from tests.english_words import english_words
from tests.integration.payout_queries import mark_and_approve
from tests.integration.test_live_and_complaints import next_data, served
from tests.integration.training_steps import enrolled

STATUS = "subscription { myCaseStatus { __typename ... on CaseStatusUpdate { stage version nextAction } } }"


@contextlib.asynccontextmanager
async def subscription(port: int, token: str, lang: str | None):
    payload = {"authorization": f"Bearer {token}"} | ({"lang": lang} if lang else {})
    uri = f"ws://127.0.0.1:{port}/graphql/participant"
    async with websockets.connect(uri, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": STATUS}}))
        yield ws


async def test_the_live_status_in_indonesian_and_in_english(stack):
    [(token, case)] = await enrolled(stack, 1)
    async with (
        served(stack.app) as port,
        subscription(port, token, None) as indonesian,
        subscription(port, token, "en") as english,
    ):
        first_id, first_en = await next_data(indonesian), await next_data(english)
        assert first_id["nextAction"].startswith("Kartu Prakerja") and not english_words(first_id["nextAction"])
        assert first_en["nextAction"].startswith("Your Kartu Prakerja") and english_words(first_en["nextAction"])
        args = {"c": case["id"], "code": "ENROLLED_STUDENT", "r": "mahasiswa", "e": "PDDikti 2025"}
        await mark_and_approve(stack, args)
        while (later_id := await next_data(indonesian))["stage"] != "CLAWBACK":
            pass
        while (later_en := await next_data(english))["stage"] != "CLAWBACK":
            pass
        # Nothing was spent or paid, so nothing is owed: the clawback closes at once.
        assert later_id["nextAction"].startswith("Dana yang ditagih setelah audit") and not english_words(
            later_id["nextAction"]
        )
        assert later_en["nextAction"].startswith("The amount reclaimed after the audit")
