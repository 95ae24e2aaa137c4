"""The redeem-code REST API's per-partner token bucket: a burst is cut off with 429 RATE_LIMITED and Retry-After,
tokens come back at the configured rate, one partner's burst never limits another, and only verified requests
count (a forged client_code cannot drain a real partner's bucket)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx2
import pytest
from starlette.applications import Starlette

from caseapi.rest import RateLimiter, redeem_routes
from caseapi.rest.rate_limit import DEFAULT_BURST, DEFAULT_RATE, retry_after
from caseapi.rest.transport import SignedApi
from tests.rest.redeem_support import COMMIT, NOW, STATUS, FakeGateway, assert_refused, official_client

RATE, BURST = 10.0, 5


@dataclass
class FakeClock:
    """Monotonic seconds that only move when the test says so."""

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def limited(gateway: FakeGateway, clock: FakeClock) -> AsyncIterator[httpx2.AsyncClient]:
    limiter = RateLimiter(rate=RATE, burst=BURST, clock=clock)
    app = Starlette(routes=redeem_routes(gateway, clock=lambda: NOW, limiter=limiter))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="https://prakerja.test") as c:
        yield c


_serial = iter(range(1_000_000))


def signed(client: str = "LPK-001", path: str = COMMIT) -> tuple[bytes, dict[str, str]]:
    """A correctly signed request with a body (hence a signature) never sent before."""
    return official_client({"redeem_code": f"RDM{next(_serial):06d}", "sequence": 1}, client=client, path=path)


async def send(http: httpx2.AsyncClient, request: tuple[bytes, dict[str, str]], path: str = COMMIT):
    body, headers = request
    return await http.post(path, content=body, headers=headers)


async def test_a_burst_is_cut_off_with_429_and_retry_after(limited, gateway):
    for _ in range(BURST):
        assert (await send(limited, signed())).status_code == 200
    refused_request = signed()
    refused = await send(limited, refused_request)
    assert_refused(refused, 429, "RATE_LIMITED")
    assert refused.headers["retry-after"] == "1"
    assert len(gateway.calls) == BURST  # the refused request never reached the gateway


async def test_status_and_commit_share_the_partners_bucket(limited):
    for i in range(BURST):
        path = STATUS if i % 2 else COMMIT
        assert (await send(limited, signed(path=path), path)).status_code == 200
    assert_refused(await send(limited, signed(path=STATUS), STATUS), 429, "RATE_LIMITED")


async def test_tokens_come_back_at_the_configured_rate(limited, clock):
    for _ in range(BURST):
        assert (await send(limited, signed())).status_code == 200
    clock.advance(0.25)  # 2.5 tokens at 10/s
    for _ in range(2):
        assert (await send(limited, signed())).status_code == 200
    assert_refused(await send(limited, signed()), 429, "RATE_LIMITED")
    clock.advance(60)  # idle: back to a full burst, never more
    assert all([(await send(limited, signed())).status_code == 200 for _ in range(BURST)])
    assert_refused(await send(limited, signed()), 429, "RATE_LIMITED")


async def test_a_refused_request_can_be_sent_again_after_retry_after(limited, clock):
    """The nonce is used only when the request is let through, so the same signed request works later."""
    for _ in range(BURST):
        await send(limited, signed())
    request = signed()
    refused = await send(limited, request)
    assert refused.status_code == 429
    clock.advance(float(refused.headers["retry-after"]))
    assert (await send(limited, request)).status_code == 200
    assert_refused(await send(limited, request), 409, "REPLAYED_REQUEST")


async def test_one_partners_burst_does_not_limit_another(limited, gateway):
    for _ in range(BURST):
        assert (await send(limited, signed("LPK-001"))).status_code == 200
    assert_refused(await send(limited, signed("LPK-001")), 429, "RATE_LIMITED")
    for _ in range(BURST):
        assert (await send(limited, signed("LPK-002"))).status_code == 200
    assert_refused(await send(limited, signed("LPK-002")), 429, "RATE_LIMITED")
    assert {c[1] for c in gateway.calls} == {"LPK-001", "LPK-002"}


async def test_forged_requests_do_not_drain_a_partners_bucket(limited):
    for _ in range(3 * BURST):
        body, headers = signed("LPK-001")
        forged = {**headers, "signature": "0" * 40}
        assert_refused(await send(limited, (body, forged)), 401, "INVALID_SIGNATURE")
    for _ in range(BURST):
        assert (await send(limited, signed("LPK-001"))).status_code == 200


def test_the_bucket_arithmetic():
    clock = FakeClock()
    limiter = RateLimiter(rate=0.5, burst=2, clock=clock)
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == pytest.approx(2.0)  # one token takes 2 s at 0.5/s
    assert retry_after(limiter.acquire("a")) == "2"
    assert limiter.acquire("b") == 0.0  # its own bucket
    clock.advance(1.0)
    assert limiter.acquire("a") == pytest.approx(1.0)
    clock.now -= 100  # a clock stepping back adds nothing and takes nothing
    assert limiter.acquire("a") == pytest.approx(1.0)
    clock.advance(1.0)
    assert limiter.acquire("a") == 0.0
    assert retry_after(0.001) == "1"


def test_configuration_is_checked_and_defaults_to_50_per_second_burst_100():
    with pytest.raises(ValueError):
        RateLimiter(rate=0)
    with pytest.raises(ValueError):
        RateLimiter(burst=0)
    endpoints = SignedApi(FakeGateway())
    assert (DEFAULT_RATE, DEFAULT_BURST) == (50.0, 100)
    assert (endpoints.limiter.rate, endpoints.limiter.burst) == (DEFAULT_RATE, DEFAULT_BURST)
