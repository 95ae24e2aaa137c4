"""The fan-out's server batch operation (``WAVE_FANOUT=batch``) signals exactly the executions of the page, against
the real dev server's batcher, and a retried page finds its own batch again instead of starting a second one."""

from __future__ import annotations

import uuid

from temporalio import workflow
from temporalio.worker import Worker

from activities.wave_batch import signal_in_batch
from domain.waves.lifecycle import WaveDecided


@workflow.defn(name="BatchSignalTarget", sandboxed=False)
class Target:
    def __init__(self) -> None:
        self.got: list[str] = []

    @workflow.run
    async def run(self) -> list[str]:
        await workflow.wait_condition(lambda: bool(self.got))
        return self.got

    @workflow.signal
    def wave_decided(self, signal: WaveDecided) -> None:
        self.got.append(signal.wave_id)


async def test_a_page_is_signalled_by_one_batch_operation(stack):
    queue = f"batch-{uuid.uuid4().hex[:6]}"
    ids = [f"{uuid.uuid4().hex}" for _ in range(5)]
    async with Worker(stack.client, task_queue=queue, workflows=[Target]):
        handles = [
            await stack.client.start_workflow(Target.run, id=f"participant-{c}", task_queue=queue) for c in ids[:4]
        ]
        untouched = await stack.client.start_workflow(Target.run, id=f"participant-{ids[4]}", task_queue=queue)
        await signal_in_batch(stack.client, "G-BATCH", ids[0], ids[:4])
        assert [await h.result() for h in handles] == [["G-BATCH"]] * 4
        await signal_in_batch(stack.client, "G-BATCH", ids[0], ids[:4])  # a retried page: the same job, done
        assert (await untouched.describe()).status.name == "RUNNING"
        await untouched.terminate("test over")
