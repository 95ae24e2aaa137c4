"""The main drill: N participants through the whole lifecycle over the GraphQL API while, one after another, the
worker is SIGKILLed inside an Update handler, inside a workflow task, inside a payment activity and at a random
moment; the Temporal dev server is stopped and restarted on the same database file; and PostgreSQL is stopped for
30 s and restarted. Every API answer must be a result or a typed error (a server error fails the drill)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.payments.fake_partner import FakePaymentPartner
from adapters.registries.population import Population
from bench.lifecycle import Shim, lifecycle, prepare, select_everyone
from bench.settlement import Settlement, worker_env
from domain.payouts.tranches import Provider
from drills.invariants import case_problems
from drills.stack import DrillStack, drill_stack
from tests.integration.helpers import clean_people

SCHEME = "LOADTEST_2023"
WORKER_KILLS = ("update:join_wave", "signal:wave_decided", "after_transfer")
"""Armed one after another: each new worker dies at the next point it reaches."""


@dataclass
class Report:
    participants: int = 0
    faults: list[str] = field(default_factory=list)
    unavailable_answers: int = 0
    problems: list[str] = field(default_factory=list)
    pending_kills: list[str] = field(default_factory=lambda: list(WORKER_KILLS))
    seconds: float = 0.0
    settlement: str = ""


async def _supervise(stack: DrillStack, report: Report, stop: asyncio.Event) -> None:
    """What systemd or Kubernetes would do: a dead worker is replaced (armed with the next kill point)."""
    while not stop.is_set():
        if stack.worker_died():
            point = stack.worker_deaths[-1]
            crashed = point.startswith("exit code")  # e.g. PostgreSQL went away during its start-up
            report.faults.append(f"worker ended with {point}; replaced" if crashed else f"worker SIGKILLed at {point}")
            if point in report.pending_kills:
                report.pending_kills.remove(point)
            await asyncio.sleep(0.5)
            stack.start_worker(report.pending_kills[0] if report.pending_kills else "")
        await asyncio.sleep(0.2)


async def _when(predicate: Callable[[], Awaitable[bool]], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.5)


async def _infrastructure_faults(stack: DrillStack, report: Report, shim: Shim, pg_down: float) -> None:
    """Once cases are training: Temporal down and back; a random worker kill; PostgreSQL down for ``pg_down`` s."""

    async def someone_trained() -> bool:
        return bool(shim.latencies.get("verifyCompletion"))

    await _when(someone_trained, 120)
    await asyncio.to_thread(stack.restart_temporal, 3.0)
    report.faults.append("Temporal dev server stopped 3 s and restarted on the same database file")
    await asyncio.sleep(2.0)
    if stack.worker is not None:
        stack.kill_worker()  # the supervisor replaces it
    await asyncio.sleep(2.0)
    await asyncio.to_thread(stack.stop_postgres)
    await asyncio.sleep(pg_down)
    await asyncio.to_thread(stack.start_postgres)
    report.faults.append(f"PostgreSQL stopped {pg_down:.0f} s and restarted")


async def run(participants: int, pg_down: float, seed: int = 11, *, async_settlement: bool = False) -> Report:
    report = Report(participants=participants)
    population = Population.generate(seed, 3000)
    people = clean_people(population)[:participants]
    env = {"PROGRAMME_SCHEME": SCHEME, "FAKE_PAYMENT_FAILURE_RATE": "0.004", **worker_env(async_settlement)}
    settlement = Settlement(async_settlement)
    t0 = time.perf_counter()
    with drill_stack(population_seed=seed, population_size=3000, extra_env=env) as stack:
        stack.start_worker(WORKER_KILLS[0])
        stop = asyncio.Event()
        supervisor = asyncio.create_task(_supervise(stack, report, stop))
        engine = create_async_engine(stack.env["DATABASE_URL"], pool_size=5, max_overflow=5, pool_pre_ping=True)
        partner = FakePaymentPartner(engine, latency=(0, 0))
        try:
            await partner.ensure_schema()
            async with httpx2.AsyncClient(base_url=stack.http_url, timeout=120) as http:
                shim = Shim(stack.env, http, engine, population, patience=pg_down + 60)
                m = await prepare(shim, people)
                tokens = await select_everyone(shim, people, 10)
                faults = asyncio.create_task(_infrastructure_faults(stack, report, shim, pg_down))
                async with settlement.running(shim, engine, (Provider.DANA,)):
                    cases = await asyncio.gather(
                        *(lifecycle(shim, m, partner, p, t) for p, t in zip(people, tokens, strict=True))
                    )
                report.settlement = settlement.summary()
                await faults
                report.unavailable_answers = sum(shim.retries.values())
                report.problems = await case_problems(shim, engine, list(cases), tokens)
                report.problems += [f"the worker never reached kill point {p}" for p in report.pending_kills]
                await shim.poster.aclose()
        finally:
            stop.set()
            await supervisor
            await engine.dispose()
    report.seconds = time.perf_counter() - t0
    return report


def summary(report: Report) -> dict[str, Any]:
    return {
        "participants": report.participants,
        "faults": report.faults,
        "typed unavailable answers": report.unavailable_answers,
        "problems": report.problems,
        "seconds": round(report.seconds, 1),
    }
