"""Intake benchmark: N synthetic applicants through apply + basic-ability test + validation.

    python -m bench.intake --applicants 1000 --rate 19

Runs the real processes (embedded Temporal dev server with WAL, PostgreSQL, worker.py, server.py) and
drives them over HTTP at a fixed arrival rate (open loop; ``--rate 0`` sends as fast as
``--concurrency`` allows). Prints applications/s, p50/p99 of ``apply``, events and workflow tasks per
participant, and the same-run ceiling of a bare no-op workflow.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections import Counter

import httpx2
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.client import Client

from adapters.payloads import data_converter
from adapters.question_bank import FileQuestionBank
from adapters.registries.population import Population, apply_input
from bench.noop import noop_ceiling
from bench.smoke import parse
from bench.stack import bench_stack
from caseapi.shared.auth import Role, mint_token
from tests.integration.queries import APPLY, START_TEST, SUBMIT_TEST  # the clients' own documents

BANK = FileQuestionBank().current()


async def _post(http: httpx2.AsyncClient, endpoint: str, query: str, variables: dict, token: str) -> dict:
    resp = await http.post(
        f"/graphql/{endpoint}",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body = resp.json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]


async def applicant(
    http: httpx2.AsyncClient, person, secret: str, latencies: list[float], errors: list[str], *, take_test: bool
) -> None:
    token = mint_token(
        secret=secret,
        issuer="prakerja-cases",
        endpoint="participant",
        subject=f"bench-{uuid.uuid4().hex}",
        role=Role.PARTICIPANT,
    )
    inp = apply_input(person, request_id=f"req-{uuid.uuid4().hex[:16]}")
    t0 = time.perf_counter()
    result = (await _post(http, "participant", APPLY, {"input": inp}, token))["apply"]
    latencies.append(time.perf_counter() - t0)
    if result["__typename"] != "ApplySuccess":
        errors.append(
            result["__typename"] + (":" + result["fieldErrors"][0]["code"] if "fieldErrors" in result else "")
        )
        return
    if not take_test:
        return
    sheet = (await _post(http, "participant", START_TEST, {}, token))["startAbilityTest"]
    if sheet["__typename"] != "AbilityTestSheet":
        return  # e.g. already found ineligible: the test is closed
    answers = [{"questionId": q["id"], "choice": BANK.questions[q["id"]].answer} for q in sheet["questions"]]
    await _post(http, "participant", SUBMIT_TEST, {"input": {"attempt": 1, "answers": answers}}, token)


async def _decided(db_url: str) -> tuple[int, dict[str, int]]:
    engine = create_async_engine(db_url)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT stage, count(*) FROM cases GROUP BY stage"))).all()
    await engine.dispose()
    stages = {r[0]: r[1] for r in rows}
    return stages.get("ELIGIBLE", 0) + stages.get("INELIGIBLE", 0), stages


async def _history_stats(client: Client, db_url: str, sample: int) -> tuple[float, float]:
    engine = create_async_engine(db_url)
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT workflow_id FROM cases LIMIT :n"), {"n": sample})
        ids = [r[0] for r in rows.all()]
    await engine.dispose()
    events = tasks = 0
    for wid in ids:
        desc = await client.get_workflow_handle(wid).describe()
        run_id = desc.raw_description.workflow_execution_info.first_run_id or desc.run_id
        while run_id:
            history = await client.get_workflow_handle(wid, run_id=run_id).fetch_history()
            events += len(history.events)
            tasks += sum(1 for e in history.events if e.HasField("workflow_task_completed_event_attributes"))
            last = history.events[-1]
            has_next = last.HasField("workflow_execution_continued_as_new_event_attributes")
            run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id if has_next else ""
    return events / len(ids), tasks / len(ids)


async def main(args: argparse.Namespace) -> None:
    population = Population.generate(args.seed, args.population)
    people = [p for p in population if p.alive][: args.applicants]
    with bench_stack(population_seed=args.seed, population_size=args.population) as stack:
        secret = stack.env["JWT_SECRET"]
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        latencies: list[float] = []
        errors: list[str] = []
        sem = asyncio.Semaphore(args.concurrency)
        limits = httpx2.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx2.AsyncClient(base_url=stack.http_url, timeout=60, limits=limits) as http:

            async def run_one(i: int, person) -> None:
                if args.rate > 0:
                    await asyncio.sleep(max(0.0, start + i / args.rate - time.perf_counter()))
                async with sem:
                    await applicant(http, person, secret, latencies, errors, take_test=not args.apply_only)

            start = time.perf_counter()
            await asyncio.gather(*(run_one(i, p) for i, p in enumerate(people)))
            submitted = time.perf_counter() - start
        while True:
            decided, stages = await _decided(stack.database_url)
            if decided >= len(people) - len(errors) or time.perf_counter() - start > submitted + 300:
                break
            await asyncio.sleep(0.5)
        total = time.perf_counter() - start
        events, tasks = await _history_stats(client, stack.database_url, min(50, len(people)))
        ceiling = await noop_ceiling(client, count=args.noop)
    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    print(
        f"applicants              {len(people)} {'apply+validate' if args.apply_only else 'apply+validate+test'}"
        f" (offered {args.rate or 'max'}/s, concurrency {args.concurrency})"
    )
    print(f"all requests done in    {submitted:.1f} s  -> {len(people) / submitted:.1f} applications/s")
    print(f"all validated in        {total:.1f} s  -> {decided / total:.1f} applications/s end to end")
    print(
        f"apply latency           p50 {p(0.50):.0f} ms  p99 {p(0.99):.0f} ms  max {lat[-1] * 1000:.0f} ms"
        f"  mean {statistics.mean(lat) * 1000:.0f} ms"
    )
    print(f"outcomes                {stages}  refused at apply {dict(Counter(errors))}")
    print(f"per participant         {events:.1f} history events, {tasks:.1f} workflow tasks (all runs)")
    print(f"engine ceiling          {ceiling:.1f} bare no-op workflows/s (same run, same server)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.intake")
    parser.add_argument("--applicants", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=19.0, help="arrivals per second; 0 = as fast as possible")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--population", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--noop", type=int, default=500)
    parser.add_argument("--apply-only", action="store_true", help="registration (apply + validation) without the test")
    asyncio.run(main(parse(parser, applicants=12, rate=0.0, population=2000, noop=16)))
