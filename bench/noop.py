"""The engine's ceiling on this machine: a bare workflow that completes at once, run in the same session."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker


@activity.defn
async def nothing() -> None:
    return None


@workflow.defn(sandboxed=False)
class StepsWorkflow:
    """A bare workflow with ``n`` workflow tasks: each no-op activity's completion wakes it for one more task.
    (Timers would measure the dev server's timer-queue granularity, about a second, not the engine.)"""

    @workflow.run
    async def run(self, n: int) -> None:
        for _ in range(n - 1):
            await workflow.execute_activity(nothing, start_to_close_timeout=timedelta(seconds=30))


async def tasks_ceiling(client: Client, *, count: int, tasks: int, concurrency: int = 64) -> float:
    """Completed bare workflows of ``tasks`` workflow tasks each per second: the engine's ceiling for a workload
    with the lifecycle's number of workflow tasks and no activities, SQL or API in between."""
    queue = f"steps-{uuid.uuid4().hex[:8]}"
    sem = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with sem:
            await client.execute_workflow(StepsWorkflow.run, tasks, id=f"{queue}-{i}", task_queue=queue)

    async with Worker(
        client, task_queue=queue, workflows=[StepsWorkflow], activities=[nothing], max_cached_workflows=concurrency * 2
    ):
        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(count)))
        return count / (time.perf_counter() - start)


async def noop_ceiling(client: Client, *, count: int, concurrency: int = 64) -> float:
    """Completed bare workflows per second (start + complete at once: one workflow task, no activity)."""
    return await tasks_ceiling(client, count=count, tasks=1, concurrency=concurrency)
