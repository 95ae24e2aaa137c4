"""Fan-out benchmark: N participant workflows waiting in a wave are told its result.

    python -m bench.fanout --participants 10000

Seeds N ParticipantWorkflows already IN_WAVE (started directly with their state, to skip N full
intakes), writes the wave's joiners and results, then starts the WaveWorkflow at SELECTED so it runs
only the paged fan-out. Prints participant workflows notified and decided per second, and the same-run
ceiling: plain signals per second from one client to N waiting no-op workflows.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
import uuid

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker

from adapters.db.tables import wave_joiners, wave_results, waves
from adapters.payloads import data_converter
from adapters.registries.population import Population
from bench.smoke import parse
from bench.stack import bench_stack
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.case import Stage
from domain.messages import CaseState, ParticipantInput
from domain.waves.lifecycle import WaveEntry, WaveInput, WaveStatus
from workflows.participant import ParticipantWorkflow
from workflows.wave import WaveWorkflow


@workflow.defn(sandboxed=False)
class WaitForSignal:
    def __init__(self) -> None:
        self.got = False

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: self.got)

    @workflow.signal
    def ping(self) -> None:
        self.got = True


def _state(person, wave_id: str, now: dt.datetime) -> CaseState:
    home = Address("Jl. Bench 1", person.province_code, person.regency_code)
    form = ApplicationForm(
        "b@example.id",
        "081234567890",
        person.nik,
        person.kk_number,
        person.date_of_birth,
        person.full_name,
        Sex(person.sex),
        home,
        home,
        Education.SMA,
        EmploymentStatus.JOB_SEEKER,
        "bench",
        True,
    )
    return CaseState(
        case_id=uuid.uuid4().hex,
        scheme_id="NORMAL_2023",
        account_id=f"bench-{uuid.uuid4().hex}",
        stage=Stage.IN_WAVE,
        application=form,
        applied_at=now,
        apply_request_id="bench",
        waves=[WaveEntry(wave_id, now)],
    )


async def _gather_limited(coros, limit: int) -> None:
    sem = asyncio.Semaphore(limit)

    async def run(c):
        async with sem:
            await c

    await asyncio.gather(*(run(c) for c in coros))


async def _count(client: Client, query: str) -> int:
    return (await client.count_workflows(query)).count


async def main(args: argparse.Namespace) -> None:
    people = [p for p in Population.generate(5, max(args.participants * 2, 1000)) if p.alive][: args.participants]
    with bench_stack(population_seed=5, population_size=1000) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url)
        wave_id, now = f"BENCH{uuid.uuid4().hex[:6]}", dt.datetime.now(dt.UTC)
        states = [_state(p, wave_id, now) for p in people]
        task_queue = stack.env.get("TASK_QUEUE", "participants")
        t0 = time.perf_counter()
        await _gather_limited(
            (
                client.start_workflow(
                    ParticipantWorkflow.run,
                    ParticipantInput(s.case_id, s.scheme_id, s),
                    id=f"participant-{s.case_id}",
                    task_queue=task_queue,
                )
                for s in states
            ),
            64,
        )
        seeded = time.perf_counter() - t0
        async with engine.begin() as conn:
            await conn.execute(
                insert(waves).values(
                    wave_id=wave_id,
                    number=int(time.time()),
                    scheme_id="NORMAL_2023",
                    opens_at=now,
                    closes_at=now,
                    status="SELECTED",
                    national_quota=len(states) // 2,
                    created_by="bench",
                )
            )
            await conn.execute(
                insert(wave_joiners),
                [
                    {
                        "wave_id": wave_id,
                        "case_id": s.case_id,
                        "province_code": s.application.domicile.province_code,
                        "kk_index": s.case_id,
                    }
                    for s in states
                ],
            )
            await conn.execute(
                insert(wave_results),
                [
                    {
                        "wave_id": wave_id,
                        "case_id": s.case_id,
                        "selected": i % 2 == 0,
                        "priority": False,
                        "lottery_rank": s.case_id,
                        "reason": "SELECTED_LOTTERY" if i % 2 == 0 else "NOT_SELECTED_QUOTA",
                    }
                    for i, s in enumerate(states)
                ],
            )
        t1 = time.perf_counter()
        handle = await client.start_workflow(
            WaveWorkflow.run,
            WaveInput(wave_id, "NORMAL_2023", now, now, status=WaveStatus.SELECTED),
            id=f"wave-{wave_id}",
            task_queue=task_queue,
        )
        await handle.result()
        told = time.perf_counter() - t1
        query = "WorkflowType='ParticipantWorkflow' AND CaseStage IN ('ENROLLED','ELIGIBLE')"
        while await _count(client, query) < len(states) and time.perf_counter() - t1 < 900:  # noqa: ASYNC110
            await asyncio.sleep(1)
        decided = time.perf_counter() - t1

        queue = f"ceiling-{uuid.uuid4().hex[:6]}"
        async with Worker(client, task_queue=queue, workflows=[WaitForSignal]):
            handles = []
            for i in range(len(states)):
                handles.append(await client.start_workflow(WaitForSignal.run, id=f"{queue}-{i}", task_queue=queue))
            t2 = time.perf_counter()
            await _gather_limited((h.signal(WaitForSignal.ping) for h in handles), 64)
            signalled = time.perf_counter() - t2
        await engine.dispose()
    n = len(states)
    print(f"participants            {n} waiting in wave {wave_id} (seeded in {seeded:.1f} s)")
    print(f"fan-out signals sent    {told:.1f} s  -> {n / told:.0f} workflows notified/s")
    print(f"all decided (SA)        {decided:.1f} s  -> {n / decided:.0f} workflows decided/s (read result + project)")
    print(f"engine signal ceiling   {signalled:.1f} s  -> {n / signalled:.0f} plain signals/s (same run, same server)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.fanout")
    parser.add_argument("--participants", type=int, default=10_000)
    asyncio.run(main(parse(parser, participants=40)))
