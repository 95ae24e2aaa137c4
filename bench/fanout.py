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
import json
import secrets
import time
import uuid

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker

from adapters.db.case_store import _row_values
from adapters.db.pii import pii_cipher
from adapters.db.sealed_forms import SealedForms
from adapters.db.tables import cases, wave_quotas, wave_seeds, waves
from adapters.payloads import data_converter
from adapters.registries.population import Population
from bench.smoke import parse
from bench.stack import bench_stack
from domain.ability_test.attempts import AttemptStatus, TestAttempt
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.case import Stage
from domain.messages import CaseRecord, CaseState, ParticipantInput
from domain.nik import blind_index
from domain.progress import next_action
from domain.scheme import get_scheme
from domain.waves.lifecycle import WaveEntry, WaveInput, WaveStatus
from domain.waves.selection import Joiner, SelectionInput, commitment, select
from settings import Settings
from workflows.participant import ParticipantWorkflow
from workflows.participant.generations import GENERATION
from workflows.wave import WaveWorkflow

SCHEME = "NORMAL_2023"
FILL_SEARCH_TABLES = (  # what the row triggers on cases would have written
    "INSERT INTO case_waves (wave_id, case_id, province_code, applied_at) "
    "SELECT DISTINCT e ->> 'wave_id', c.case_id, c.province_code, c.applied_at "
    "FROM cases AS c, jsonb_array_elements(c.waves) AS e WHERE c.waves <> '[]'::jsonb",
    "INSERT INTO case_names (token, case_id, province_code, applied_at) "
    "SELECT DISTINCT t, c.case_id, c.province_code, c.applied_at FROM cases AS c, unnest(c.name_tokens) AS t",
)
SELECTED_SHARE = 8  # one in eight selected


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


def _state(person, wave_id: str, now: dt.datetime, key: bytes) -> CaseState:
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
        case_id=blind_index(person.nik, key),
        scheme_id=SCHEME,
        account_id=f"bench-{uuid.uuid4().hex}",
        stage=Stage.IN_WAVE,
        application=form,
        applied_at=now,
        apply_request_id="bench",
        ability_test=[TestAttempt(1, "bench", (), now, now, AttemptStatus.PASSED, 18, now)],
        waves=[WaveEntry(wave_id, now)],
    )


def _record(s: CaseState) -> CaseRecord:
    assert s.application is not None and s.account_id and s.applied_at
    scheme = get_scheme(s.scheme_id)
    return CaseRecord(
        case_id=s.case_id,
        workflow_id=f"participant-{s.case_id}",
        account_id=s.account_id,
        scheme_id=s.scheme_id,
        stage=s.stage,
        version=s.version,
        application=s.application,
        decisions=(),
        next_action=next_action(s.stage, tuple(s.ability_test), scheme),
        applied_at=s.applied_at,
        updated_at=s.applied_at,
        ability_test=tuple(s.ability_test),
        waves=tuple(s.waves),
    )


def _quotas(states: list[CaseState]) -> dict[str, int]:
    """One in eight of each province's joiners (largest remainders), so that the wave selects n/8 in all."""
    by_province: dict[str, int] = {}
    for s in states:
        assert s.application is not None
        code = s.application.domicile.province_code
        by_province[code] = by_province.get(code, 0) + 1
    total = len(states) // SELECTED_SHARE
    exact = {p: n * total / len(states) for p, n in by_province.items()}
    quotas = {p: int(q) for p, q in exact.items()}
    for p in sorted(exact, key=lambda p: quotas[p] - exact[p])[: total - sum(quotas.values())]:
        quotas[p] += 1
    return quotas


async def _gather_limited(coros, limit: int) -> None:
    sem = asyncio.Semaphore(limit)

    async def run(c):
        async with sem:
            await c

    await asyncio.gather(*(run(c) for c in coros))


async def _seed_rows(
    engine: AsyncEngine, stack_env: dict[str, str], states: list[CaseState], wave_id: str, seed: str
) -> dict[str, int]:
    settings = Settings.from_env(stack_env)
    key = stack_env["CASE_HMAC_KEY"].encode()
    forms = SealedForms(pii_cipher(settings), key)
    now = states[0].applied_at
    quotas = _quotas(states)
    async with engine.begin() as conn:
        await conn.execute(
            insert(waves).values(
                wave_id=wave_id,
                number=int(time.time() * 1000) % 2**31,
                scheme_id=SCHEME,
                opens_at=now,
                closes_at=now,
                status="CLOSED",
                national_quota=sum(quotas.values()),
                created_by="bench",
                seed_commitment=commitment(seed),
            )
        )
        await conn.execute(insert(wave_seeds).values(wave_id=wave_id, seed=seed))
        await conn.execute(
            insert(wave_quotas), [{"wave_id": wave_id, "province_code": p, "quota": q} for p, q in quotas.items()]
        )
    jsonb = {"decisions", "ability_test", "waves", "enrollment", "trainings", "payouts"}
    columns = [c.name for c in cases.c]
    for start in range(0, len(states), 5000):
        records, joiners = [], []
        for s in states[start : start + 5000]:
            assert s.application is not None
            row = _row_values(_record(s), forms) | {"kk_index": blind_index(s.application.kk_number, key)}
            records.append(tuple(json.dumps(row[c]) if c in jsonb and row[c] is not None else row[c] for c in columns))
            joiners.append((wave_id, row["case_id"], row["province_code"], row["kk_index"], False))
        async with engine.begin() as conn:  # COPY with the row triggers off; their search tables filled below
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.copy_records_to_table("cases", records=records, columns=columns)
            await raw.copy_records_to_table(
                "wave_joiners", records=joiners, columns=["wave_id", "case_id", "province_code", "kk_index", "wake_all"]
            )
    async with engine.begin() as conn:
        for statement in FILL_SEARCH_TABLES:
            await conn.execute(text(statement))
    async with engine.connect() as conn:
        await conn.execute(text("COMMIT"))
        await conn.execute(text("ANALYZE cases"))
        await conn.execute(text("ANALYZE wave_joiners"))
    return quotas


def _to_be_selected(states: list[CaseState], key: bytes, seed: str, quotas: dict[str, int]) -> set[str]:
    """The wave's selected joiners, by the domain's own rule (``domain.waves.selection.select``) that the SQL runs."""
    joiners = []
    for s in states:
        assert s.application is not None
        joiners.append(
            Joiner(s.case_id, s.application.domicile.province_code, blind_index(s.application.kk_number, key))
        )
    inp = SelectionInput(seed, tuple(joiners), quotas, frozenset(), frozenset(), frozenset(), {},
                         get_scheme(SCHEME).max_selected_per_kk)  # fmt: skip
    return {case_id for case_id, v in select(inp).items() if v.selected}


async def _settled(client: Client, workflow_ids: list[str]) -> None:
    """Until the last workflows started have run their first task (the queue is about FIFO): the wave then starts
    on an idle worker, not behind N first workflow tasks."""
    for wid in workflow_ids:
        while (await client.get_workflow_handle(wid).describe()).raw_description.HasField("pending_workflow_task"):  # noqa: ASYNC110
            await asyncio.sleep(0.2)


async def _scalar(engine: AsyncEngine, sql: str, **params: object):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def main(args: argparse.Namespace) -> None:
    people = [p for p in Population.generate(5, max(args.participants * 2, 1000)) if p.alive][: args.participants]
    with bench_stack(population_seed=5, population_size=1000) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=4)
        key = stack.env["CASE_HMAC_KEY"].encode()
        wave_id, now = f"BENCH{uuid.uuid4().hex[:6]}", dt.datetime.now(dt.UTC)
        unique = {s.case_id: s for s in (_state(p, wave_id, now, key) for p in people)}
        states = list(unique.values())
        task_queue = stack.env.get("TASK_QUEUE", "participants")
        t0 = time.perf_counter()
        seed = secrets.token_hex(32)
        quotas = await _seed_rows(engine, stack.env, states, wave_id, seed)
        rows = time.perf_counter() - t0
        chosen = _to_be_selected(states, key, seed, quotas) if args.workflows == "selected" else None
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
        shown = await _scalar(
            engine,
            "SELECT count(*) FROM cases WHERE waves -> -1 ->> 'wave_id' = :w AND waves -> -1 ->> 'outcome' IS NOT NULL",
            w=wave_id,
        )
        enrolled_sql = "SELECT count(*) FROM cases WHERE stage = 'ENROLLED'"
        while (enrolled := await _scalar(engine, enrolled_sql)) < selected and time.perf_counter() - t1 < 3600:  # noqa: ASYNC110
            await asyncio.sleep(0.25)
        all_selected = time.perf_counter() - t1
        cpu1 = stack.usage()
        told = await handle.result()
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
    print(f"results visible         {visible:.1f} s  -> {shown} of {n} joiners' outcomes in the read model")
    print(
        f"selected decided        {all_selected:.1f} s  -> {rate:.0f} selected decided/s after the results"
        f" ({enrolled} enrolled; {selected / all_selected:.0f}/s from the start)"
    )
    print(f"wave announced          {announced:.1f} s  ({told})")
    print(f"engine signal ceiling   {signalled:.1f} s  -> {ceiling:.0f} plain signals/s (same run, same server)")
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
    asyncio.run(main(parse(parser, participants=40)))
