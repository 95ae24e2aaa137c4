"""The selection tests' engine over the session's embedded PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from adapters.db.engine import make_engine


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=2)
    yield eng
    await eng.dispose()
