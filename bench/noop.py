"""The engine's ceiling on this machine: a bare workflow that completes at once, run in the same session."""

from __future__ import annotations

import asyncio
import time
import uuid

from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker


@workflow.defn(sandboxed=False)
class NoopWorkflow:
    @workflow.run
    async def run(self) -> None:
        return None


async def noop_ceiling(client: Client, *, count: int, concurrency: int = 64) -> float:
    """Completed bare workflows per second (start + complete), with ``concurrency`` in flight."""
    queue = f"noop-{uuid.uuid4().hex[:8]}"
    sem = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with sem:
            await client.execute_workflow(NoopWorkflow.run, id=f"noop-{queue}-{i}", task_queue=queue)

    async with Worker(client, task_queue=queue, workflows=[NoopWorkflow]):
        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(count)))
        return count / (time.perf_counter() - start)
