"""The change feed survives losing its listening connection (PostgreSQL restarted, or the backend terminated)."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text

from adapters.db.change_feed import PgChangeFeed
from domain.change_feed import CASE_CHANGES


async def _notify(engine, message: dict) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_notify(:c, :m)"), {"c": CASE_CHANGES, "m": json.dumps(message)})


async def test_a_terminated_listener_reconnects_and_delivers_what_follows(stack):
    feed = PgChangeFeed(stack.engine, (CASE_CHANGES,))
    try:
        async with feed.subscribe(CASE_CHANGES) as messages:
            await _notify(stack.engine, {"n": 1})
            assert (await asyncio.wait_for(anext(messages), 5))["n"] == 1
            raw = (await feed._conn.get_raw_connection()).driver_connection
            pid = raw.get_server_pid()
            async with stack.engine.begin() as conn:
                assert await conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            for _ in range(100):
                if feed.reconnects:
                    break
                await asyncio.sleep(0.05)
            assert feed.reconnects == 1
            await _notify(stack.engine, {"n": 2})
            assert (await asyncio.wait_for(anext(messages), 5))["n"] == 2
    finally:
        await feed.close()


async def test_a_keyed_subscriber_hears_only_its_key_and_an_open_one_hears_all(stack):
    feed = PgChangeFeed(stack.engine, (CASE_CHANGES,))
    try:
        async with (
            feed.subscribe(CASE_CHANGES, key="acct-a") as mine,
            feed.subscribe(CASE_CHANGES) as everything,
        ):
            await _notify(stack.engine, {"account_id": "acct-b", "n": 1})
            await _notify(stack.engine, {"account_id": "acct-a", "n": 2})
            assert (await asyncio.wait_for(anext(mine), 5))["n"] == 2
            assert [(await asyncio.wait_for(anext(everything), 5))["n"] for _ in range(2)] == [1, 2]
        assert feed._keyed[CASE_CHANGES] == {}  # the last subscriber of a key leaves no entry behind
    finally:
        await feed.close()
