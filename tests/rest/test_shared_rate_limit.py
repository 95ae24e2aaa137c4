"""The partner REST API's rate limit across replicas: two app instances, each with its own engine and
``PgRateLimiter``, on one real PostgreSQL share each partner's bucket, also when their requests race; the per-process
``RateLimiter`` would let each replica take a full burst (the contrast, so the shared test can fail)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx2
import pytest
from sqlalchemy import text
from starlette.applications import Starlette

from adapters.db.engine import make_engine
from adapters.db.rate_limit import PgRateLimiter
from caseapi.rest import RateLimit, RateLimiter, redeem_routes
from server import api_ports
from settings import Settings
from tests.conftest import TEST_PII_KEYS
from tests.rest.redeem_support import NOW, FakeGateway, assert_refused
from tests.rest.test_rate_limit import send, signed

BURST = 5


def replica(limiter: RateLimit) -> httpx2.AsyncClient:
    app = Starlette(routes=redeem_routes(FakeGateway(), clock=lambda: NOW, limiter=limiter))
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="https://prakerja.test")


@pytest.fixture
async def two_replicas(pg_url: str) -> AsyncIterator[Callable[[float], list[httpx2.AsyncClient]]]:
    """Two replicas' clients for a given refill rate; each replica has its own engine (its own pool)."""
    engines = [make_engine(pg_url, pool_size=4, max_overflow=0) for _ in range(2)]
    async with engines[0].begin() as conn:
        await conn.execute(text("DELETE FROM partner_rate_buckets"))
    clients: list[httpx2.AsyncClient] = []

    def build(rate: float) -> list[httpx2.AsyncClient]:
        clients.extend(replica(PgRateLimiter(e, rate=rate, burst=BURST)) for e in engines)
        return clients[-2:]

    yield build
    for c in clients:
        await c.aclose()
    for e in engines:
        await e.dispose()


async def test_two_replicas_share_one_bucket_per_partner(two_replicas):
    a, b = two_replicas(0.01)  # no refill during the test
    codes = [(await send(a if i % 2 else b, signed("LPK-001"))).status_code for i in range(BURST)]
    assert codes == [200] * BURST
    assert_refused(await send(a, signed("LPK-001")), 429, "RATE_LIMITED")
    refused = await send(b, signed("LPK-001"))
    assert_refused(refused, 429, "RATE_LIMITED")
    assert int(refused.headers["retry-after"]) >= 99  # one token takes 100 s at 0.01/s
    for i in range(BURST):  # another partner has its own bucket, on either replica
        assert (await send(a if i % 2 else b, signed("LPK-002"))).status_code == 200


async def test_racing_requests_on_both_replicas_take_exactly_the_burst(two_replicas):
    a, b = two_replicas(0.01)
    answers = await asyncio.gather(*(send(a if i % 2 else b, signed("LPK-001")) for i in range(4 * BURST)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] * BURST + [429] * (3 * BURST)


async def test_tokens_come_back_on_the_database_clock(two_replicas):
    a, b = two_replicas(4.0)  # a token every 0.25 s
    for _ in range(BURST):
        assert (await send(a, signed("LPK-001"))).status_code == 200
    refused = await send(b, signed("LPK-001"))
    assert_refused(refused, 429, "RATE_LIMITED")
    assert refused.headers["retry-after"] == "1"
    started = time.monotonic()
    await asyncio.sleep(float(refused.headers["retry-after"]))
    assert (await send(b, signed("LPK-001"))).status_code == 200
    assert time.monotonic() - started < 5  # refilled, never more than the burst
    accepted = sum([(await send(a, signed("LPK-001"))).status_code == 200 for _ in range(2 * BURST)])
    assert 1 <= accepted < BURST


async def test_in_process_buckets_do_not_hold_across_replicas():
    """Why the shared store exists: with per-process buckets two replicas let through twice the burst."""
    a, b = replica(RateLimiter(rate=0.01, burst=BURST)), replica(RateLimiter(rate=0.01, burst=BURST))
    async with a, b:
        codes = [(await send(a if i % 2 else b, signed("LPK-001"))).status_code for i in range(2 * BURST)]
    assert codes == [200] * (2 * BURST)


async def test_an_unreachable_store_answers_503_not_a_server_error():
    engine = make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none", pool_size=1, max_overflow=0)
    try:
        async with replica(PgRateLimiter(engine, rate=1, burst=BURST)) as c:
            assert_refused(await send(c, signed("LPK-001")), 503, "TEMPORARILY_UNAVAILABLE")
    finally:
        await engine.dispose()


def _settings(**env: str) -> Settings:
    required = {"DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:9/db", "TEMPORAL_ADDRESS": "127.0.0.1:7233"}
    secrets = {"CASE_HMAC_KEY": "k", "JWT_SECRET": "s", "PII_KEYS": TEST_PII_KEYS, "PII_ACTIVE_KEY": "pii-test1"}
    return Settings.from_env(required | secrets | env)


async def test_the_server_shares_the_buckets_unless_told_memory():
    engine = make_engine(_settings().database_url)
    try:
        no_client: Any = None
        shared = api_ports(_settings(PARTNER_RATE_LIMIT="5,20"), engine, no_client, None).rate_limit
        assert isinstance(shared, PgRateLimiter) and (shared.rate, shared.burst) == (5.0, 20)
        memory = _settings(RATE_LIMIT_STORE="memory", PARTNER_RATE_LIMIT="5,20")
        own = api_ports(memory, engine, no_client, None).rate_limit
        assert isinstance(own, RateLimiter) and (own.rate, own.burst) == (5.0, 20)
    finally:
        await engine.dispose()
    assert _settings().partner_rate == (50.0, 100)
