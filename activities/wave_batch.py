"""The wave fan-out's signals as a Temporal server batch operation (``WAVE_FANOUT=batch``), measured against the
paged signalling of ``activities.waves`` (the default): one ``StartBatchOperation`` per page with the page's
executions listed (a visibility query cannot tell the selected from the other joiners: nothing in visibility says who
was selected), one payload for all (``WaveDecided(wave_id)``, so each woken case reads its own result and card
through local activities), then polled until the server's batcher has signalled them all.

The job ID is derived from the page's first case, so a retried attempt finds its batch instead of starting another.
"""

from __future__ import annotations

import asyncio
import hashlib

from temporalio import activity
from temporalio.api.batch.v1 import BatchOperationSignal
from temporalio.api.common.v1 import Payloads, WorkflowExecution
from temporalio.api.enums.v1 import BatchOperationState
from temporalio.api.workflowservice.v1 import DescribeBatchOperationRequest, StartBatchOperationRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.waves.lifecycle import WaveDecided

BATCH_RPS = 5000.0
"""Requested signals per second (the server caps it by its own ``worker.batcherRPS``)."""
POLL_SECONDS = 0.2


async def signal_in_batch(client: Client, wave_id: str, first_case_id: str, case_ids: list[str]) -> float:
    """Signal ``case_ids`` through one server batch operation and wait for it; the seconds it ran."""
    digest = hashlib.sha256(f"{wave_id}:{first_case_id}".encode()).hexdigest()[:24]
    job_id = f"wave-{wave_id}-{digest}"
    [payload] = await client.data_converter.encode([WaveDecided(wave_id)])
    request = StartBatchOperationRequest(
        namespace=client.namespace,
        job_id=job_id,
        reason=f"wave {wave_id} results",
        executions=[WorkflowExecution(workflow_id=f"participant-{c}") for c in case_ids],
        max_operations_per_second=BATCH_RPS,
        signal_operation=BatchOperationSignal(
            signal="wave_decided", input=Payloads(payloads=[payload]), identity="wave-fanout"
        ),
    )
    started = asyncio.get_running_loop().time()
    try:
        await client.workflow_service.start_batch_operation(request)
    except RPCError as exc:
        if exc.status is not RPCStatusCode.ALREADY_EXISTS:
            raise
    describe = DescribeBatchOperationRequest(namespace=client.namespace, job_id=job_id)
    while True:
        state = await client.workflow_service.describe_batch_operation(describe)
        if activity.in_activity():
            activity.heartbeat()
        if state.state == BatchOperationState.BATCH_OPERATION_STATE_COMPLETED:
            return asyncio.get_running_loop().time() - started
        if state.state == BatchOperationState.BATCH_OPERATION_STATE_FAILED:
            raise RuntimeError(f"batch {job_id} failed: {state.failure_operation_count} of {len(case_ids)}")
        await asyncio.sleep(POLL_SECONDS)
