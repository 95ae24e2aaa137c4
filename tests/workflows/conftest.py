"""The time-skipping test server, one per test module, with our data converter and search attributes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest_asyncio
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from adapters.payloads import data_converter as pydantic_data_converter
from workflows.search_attributes import ALL_SEARCH_ATTRIBUTES


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def env():
    binary = Path(sys.executable).parent / "temporal-test-server"
    e = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=str(binary if binary.exists() else shutil.which("temporal-test-server")),
    )
    await e.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=e.client.namespace,
            search_attributes={sa.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for sa in ALL_SEARCH_ATTRIBUTES},
        )
    )
    yield e
    await e.shutdown()
