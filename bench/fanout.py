"""Fan-out benchmark: N participants waiting in a closed wave; its selection decides, its fan-out wakes whom it must.

    python -m bench.fanout --participants 100000

Seeds N ParticipantWorkflows already IN_WAVE (started directly with their state, to skip N full intakes), their
case rows and the wave's joiners, then starts the WaveWorkflow at CLOSED, so it runs the set-based selection (one in
eight selected: the provinces' quotas) and the paged fan-out. Prints:

* results visible: start -> every joiner's outcome in the read model (the selection's commit);
* selected decided: every selected participant enrolled, and their rate after the results were visible;
* the same run's ceiling: plain signals per second from one client to as many waiting no-op workflows as were
  selected, and the share of it the selected reached.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import secrets
import time
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker

from adapters.payloads import data_converter
from adapters.registries.population import Population
from bench.fanout_history import breakdown
from bench.fanout_seed import SCHEME, seed_rows, to_be_selected, waiting_state
from bench.smoke import parse
from bench.stack import bench_stack
from domain.messages import ParticipantInput
from domain.waves.lifecycle import WaveInput, WaveStatus
from workflows.participant import ParticipantWorkflow
from workflows.participant.generations import GENERATION
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


async def _gather_limited(coros, limit: int) -> None:
    sem = asyncio.Semaphore(limit)

    async def run(c):
        async with sem:
            await c

    await asyncio.gather(*(run(c) for c in coros))


async def _settled(client: Client, workflow_ids: list[str]) -> None:
    """Until the last workflows started have run their first task (the queue is about FIFO): the wave then starts
    on an idle worker, not behind N first workflow tasks."""
    for wid in workflow_ids:
        while (await client.get_workflow_handle(wid).describe()).raw_description.HasField("pending_workflow_task"):  # noqa: ASYNC110
            await asyncio.sleep(0.2)


ENROLLED = "WorkflowType = 'ParticipantWorkflow' AND CaseStage = 'ENROLLED'"
SAMPLE = "SELECT case_id FROM wave_results WHERE wave_id = :w AND selected ORDER BY case_id LIMIT 100"
BATCHER_RPS = 5000
"""The dev server's batcher signals at most 50 workflows per second by default: raised for the batch fan-out."""
SHOWN = """SELECT count(*) FROM case_waves AS w JOIN cases AS c ON c.case_id = w.case_id
LEFT JOIN wave_results AS r ON r.wave_id = w.wave_id AND r.case_id = w.case_id
WHERE w.wave_id = :w AND c.waves -> -1 ->> 'wave_id' = :w
  AND (c.waves -> -1 ->> 'outcome' IS NOT NULL OR r.case_id IS NOT NULL)"""
"""Joiners whose case shows its outcome: in the row, or overlaid from the results (``adapters.db.wave_overlay``)."""


async def _recorded(client: Client) -> int:
    return (await client.count_workflows(ENROLLED)).count


async def _scalar(engine: AsyncEngine, sql: str, **params: object):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def main(args: argparse.Namespace) -> None:
    people = [p for p in Population.generate(5, max(args.participants * 2, 1000)) if p.alive][: args.participants]
    batcher = ("--dynamic-config-value", f"worker.batcherRPS={BATCHER_RPS}") if args.fanout == "batch" else ()
    env = {"WAVE_FANOUT": args.fanout}
    with bench_stack(population_seed=5, population_size=1000, extra_env=env, temporal_args=batcher) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=4)
        key = stack.env["CASE_HMAC_KEY"].encode()
        wave_id, now = f"BENCH{uuid.uuid4().hex[:6]}", dt.datetime.now(dt.UTC)
        unique = {s.case_id: s for s in (waiting_state(p, wave_id, now, key) for p in people)}
        states = list(unique.values())
        task_queue = stack.env.get("TASK_QUEUE", "participants")
        t0 = time.perf_counter()
        seed = secrets.token_hex(32)
        quotas = await seed_rows(engine, stack.env, states, wave_id, seed)
        rows = time.perf_counter() - t0
        chosen = to_be_selected(states, key, seed, quotas) if args.workflows == "selected" else None
        started_for = [s for s in states if chosen is None or s.case_id in chosen]
        await _gather_limited(
            (
                client.start_workflow(
                    ParticipantWorkflow.run,
                    ParticipantInput(s.case_id, s.scheme_id, s, GENERATION),
                    id=f"participant-{s.case_id}",
                    task_queue=task_queue,
                )
                for s in started_for
            ),
            64,
        )
        started = time.perf_counter() - t0
        await _settled(client, [f"participant-{s.case_id}" for s in started_for[-32:]])
        seeded = time.perf_counter() - t0

        cpu0 = stack.usage()
        t1 = time.perf_counter()
        handle = await client.start_workflow(
            WaveWorkflow.run,
            WaveInput(wave_id, SCHEME, now, now, status=WaveStatus.CLOSED),
            id=f"wave-{wave_id}",
            task_queue=task_queue,
        )
        decided = "SELECT status IN ('SELECTED', 'ANNOUNCED') FROM waves WHERE wave_id = :w"
        while not await _scalar(engine, decided, w=wave_id) and time.perf_counter() - t1 < 1800:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        visible = time.perf_counter() - t1
        selected = int(await _scalar(engine, "SELECT selected_count FROM waves WHERE wave_id = :w", w=wave_id))
        shown = await _scalar(engine, SHOWN, w=wave_id)
        enrolled_sql = "SELECT count(*) FROM cases WHERE stage = 'ENROLLED'"
        while (enrolled := await _scalar(engine, enrolled_sql)) < selected and time.perf_counter() - t1 < 3600:  # noqa: ASYNC110
            await asyncio.sleep(0.25)
        in_read_model = time.perf_counter() - t1
        # Decided = the workflow recorded it (its task indexed ENROLLED), not only the read model showing it: since
        # generation 4 the fan-out writes the enrolled row itself.
        while (indexed := await _recorded(client)) < selected and time.perf_counter() - t1 < 3600:  # noqa: ASYNC110
            await asyncio.sleep(0.25)
        all_selected = time.perf_counter() - t1
        cpu1 = stack.usage()
        told = await handle.result()
        async with engine.connect() as conn:
            woken = (await conn.execute(text(SAMPLE), {"w": wave_id})).scalars().all()
        history = await breakdown(client, [f"participant-{c}" for c in woken])
        agreed = None
        if chosen is not None:
            sql_chosen = "SELECT count(*) FROM wave_results WHERE wave_id = :w AND selected AND case_id = ANY(:ids)"
            agreed = await _scalar(engine, sql_chosen, w=wave_id, ids=list(chosen)) == len(chosen) == selected
        announced = time.perf_counter() - t1

        queue = f"ceiling-{uuid.uuid4().hex[:6]}"
        async with Worker(client, task_queue=queue, workflows=[WaitForSignal]):
            handles = [client.get_workflow_handle(f"{queue}-{i}") for i in range(max(selected, 1))]
            await _gather_limited(
                (client.start_workflow(WaitForSignal.run, id=h.id, task_queue=queue) for h in handles), 64
            )
            await _settled(client, [h.id for h in handles[-32:]])
            t2 = time.perf_counter()
            await _gather_limited((h.signal(WaitForSignal.ping) for h in handles), 64)
            signalled = time.perf_counter() - t2
            await _gather_limited((h.result() for h in handles), 64)
            processed = time.perf_counter() - t2
        cpu2 = stack.usage()
        await engine.dispose()
    n = len(states)
    rate = selected / max(all_selected - visible, 1e-9)
    ceiling = len(handles) / signalled
    if chosen is not None:
        print(f"workflows               started for the {len(chosen)} to be selected only (the domain rule, in Python,"
              f" agrees with the SQL: {agreed}); the other joiners are rows only")  # fmt: skip
    print(
        f"participants            {n} waiting in wave {wave_id}, {selected} selected (seeded in {seeded:.1f} s:"
        f" rows {rows:.1f} s, workflows started {started - rows:.1f} s, first tasks done {seeded - started:.1f} s)"
    )
    print(f"results visible         {visible:.1f} s  -> {shown} of {n} joiners' outcomes in the read model"
          f" (fan-out: {args.fanout})")  # fmt: skip
    print(
        f"selected decided        {all_selected:.1f} s  -> {rate:.0f} selected decided/s after the results"
        f" ({enrolled} enrolled in the read model at {in_read_model:.1f} s, {indexed} recorded by their workflows;"
        f" {selected / all_selected:.0f}/s from the start)"
    )
    print(f"woken histories         {history}")
    print(f"wave announced          {announced:.1f} s  ({told})")
    print(f"engine signal ceiling   {signalled:.1f} s  -> {ceiling:.0f} plain signals/s (same run, same server);"
          f" every no-op workflow woken and completed at {processed:.1f} s: {len(handles) / processed:.0f}/s"
          f" ({100 * rate * processed / len(handles):.0f}% of that)")  # fmt: skip
    for phase, (a, b) in {"wave (select + fan-out)": (cpu0, cpu1), "ceiling": (cpu1, cpu2)}.items():
        used = ", ".join(f"{k} {b[k][0] - a[k][0]:.1f}" for k in b)
        print(f"CPU s, {phase:<16} {used}")
    print(f"of the ceiling          {100 * rate / ceiling:.1f}%  (selected decided/s over plain signals/s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.fanout")
    parser.add_argument("--participants", type=int, default=3_000)
    parser.add_argument(
        "--workflows",
        choices=("all", "selected"),
        default="all",
        help="start a workflow for every joiner, or only for those to be selected (the new fan-out wakes no other)",
    )
    parser.add_argument(
        "--fanout",
        choices=("signals", "batch"),
        default="signals",
        help="wake the selected with paged signals from an activity, or with a Temporal server batch operation",
    )
    asyncio.run(main(parse(parser, participants=40)))
