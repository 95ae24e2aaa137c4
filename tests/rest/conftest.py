"""Fixtures of the redeem-code REST tests: a fake gateway behind the real routes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from starlette.applications import Starlette

from caseapi.rest import redeem_routes
from tests.rest.redeem_support import NOW, FakeGateway


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
async def http(gateway: FakeGateway) -> AsyncIterator[httpx2.AsyncClient]:
    app = Starlette(routes=redeem_routes(gateway, clock=lambda: NOW))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="https://prakerja.test") as c:
        yield c
