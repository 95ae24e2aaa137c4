"""The time-skipping test server, one per test module, with our data converter and search attributes."""

from __future__ import annotations

import pytest_asyncio

from adapters.payloads import data_converter as pydantic_data_converter
from tests.workflows.time_skipping import start_time_skipping


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def env():
    e = await start_time_skipping(pydantic_data_converter)
    yield e
    await e.shutdown()
