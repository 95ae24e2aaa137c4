"""Behind a real pgbouncer (Debian package) in transaction pooling: the default asyncpg engine fails ("prepared
statement ... does not exist"), the ``DATABASE_POOLER=transaction`` engine does not, also for the one-statement
stores (``autocommit``) under concurrency; the change feed LISTENs on ``DATABASE_LISTEN_URL`` (direct) and hears
what is written through the pooler."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.change_feed import PgChangeFeed
from adapters.db.engine import autocommit, make_engine
from adapters.db.rate_limit import PgRateLimiter
from devstack.pgbouncer import INSTALL_HINT, PgBouncer, available, start_pgbouncer
from domain.change_feed import CASE_CHANGES
from server import listen_engine
from settings import Settings
from tests.conftest import free_port

CLIENTS, ROUNDS, SERVER_CONNECTIONS = 16, 15, 3


@pytest.fixture(scope="module")
def bouncer(pg_url: str) -> Iterator[PgBouncer]:
    if not available():
        if os.environ.get("CI"):
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="pgbouncer-") as workdir:  # not under pytest's root-only tmp
        b = start_pgbouncer(pg_url, Path(workdir), port=free_port(), pool_size=SERVER_CONNECTIONS)
        yield b
        b.stop()


async def _workload(engine: AsyncEngine) -> tuple[list[BaseException], set[int]]:
    """``CLIENTS`` concurrent tasks, each alternating a one-statement store call and a transaction."""
    single = autocommit(engine)

    async def client(i: int) -> set[int]:
        backends: set[int] = set()
        for j in range(ROUNDS):
            async with single.connect() as conn:
                row = (await conn.execute(text("SELECT CAST(:i AS int), pg_backend_pid()"), {"i": i})).one()
                assert row[0] == i
                backends.add(row[1])
            async with engine.begin() as conn:
                assert await conn.scalar(text("SELECT CAST(:j AS text)"), {"j": str(j)}) == str(j)
        return backends

    results = await asyncio.gather(*(client(i) for i in range(CLIENTS)), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    return errors, set().union(*(r for r in results if isinstance(r, set)))


async def test_the_default_engine_breaks_behind_transaction_pooling(bouncer):
    """The contrast (and proof that the pooler really pools by transaction)."""
    engine = make_engine(bouncer.url, pool_size=CLIENTS, max_overflow=0)
    try:
        errors, _ = await _workload(engine)
    finally:
        await engine.dispose()
    assert errors
    assert any("does not exist" in str(e) for e in errors), errors[0]


async def test_the_pooler_engine_works_under_concurrency(bouncer):
    engine = make_engine(bouncer.url, pool_size=CLIENTS, max_overflow=0, pooler="transaction")
    try:
        errors, backends = await _workload(engine)
    finally:
        await engine.dispose()
    assert errors == []
    assert 1 < len(backends) <= SERVER_CONNECTIONS  # many clients shared a few server connections


async def test_a_store_writes_through_the_pooler_and_the_direct_listener_hears_it(bouncer, pg_url):
    pooled = make_engine(bouncer.url, pool_size=4, max_overflow=0, pooler="transaction")
    settings = Settings.from_env(_env(pooled_url=bouncer.url, listen_url=pg_url))
    listen = listen_engine(settings, pooled)
    feed = PgChangeFeed(listen, (CASE_CHANGES,))
    try:
        limiter = PgRateLimiter(pooled, rate=0.01, burst=2)  # an autocommit store: one UPSERT per call
        assert [await limiter.take("POOLED-1") for _ in range(2)] == [0.0, 0.0]
        assert await limiter.take("POOLED-1") > 0
        async with feed.subscribe(CASE_CHANGES) as messages:
            async with autocommit(pooled).connect() as conn:
                await conn.execute(text("SELECT pg_notify(:c, :m)"), {"c": CASE_CHANGES, "m": json.dumps({"n": 7})})
            assert (await asyncio.wait_for(anext(messages), 5))["n"] == 7
    finally:
        await feed.close()
        await listen.dispose()
        await pooled.dispose()


def test_the_pooler_without_a_listen_url_is_refused_at_start():
    settings = Settings.from_env(_env(pooled_url="postgresql+asyncpg://u@127.0.0.1:6432/db", listen_url=""))
    with pytest.raises(RuntimeError, match="DATABASE_LISTEN_URL"):
        listen_engine(settings, make_engine(settings.database_url, pooler="transaction"))
    with pytest.raises(ValueError, match="DATABASE_POOLER"):
        make_engine(settings.database_url, pooler="session")


def _env(*, pooled_url: str, listen_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": pooled_url,
        "DATABASE_POOLER": "transaction",
        "DATABASE_LISTEN_URL": listen_url,
        "TEMPORAL_ADDRESS": "127.0.0.1:7233",
        "CASE_HMAC_KEY": "k",
        "JWT_SECRET": "s",
        "PII_KEYS": "k1:" + "A" * 43 + "=",
        "PII_ACTIVE_KEY": "k1",
    }
