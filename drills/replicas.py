"""The multi-replica drill: the lifecycle drill's participants, from apply to job search, through haproxy in front
of two API servers, with two workers, pgbouncer (transaction pooling) in front of PostgreSQL and the Temporal dev
server. Once cases are in training, one API server is SIGKILLed (the live-status subscriptions it held reconnect
through haproxy to the other) and restarted, one worker is SIGKILLed and restarted, and PostgreSQL is stopped and
restarted behind the pooler. Every answer must be a result or a typed error; at the end the same invariants as the
lifecycle drill (drills/invariants.py): nothing lost, nothing paid twice, every ledger balanced."""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx2
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.payments.fake_partner import FakePaymentPartner
from adapters.registries.population import Population
from bench.http_client import ConnectionLost, KeepAliveClient
from bench.lifecycle import Shim, lifecycle, prepare, select_everyone
from drills import shared_limit as limit
from drills.invariants import case_problems
from drills.lifecycle_under_faults import _when
from drills.replica_stack import WORKER_KILLS, ReplicaStack, replica_stack
from tests.integration.helpers import clean_people

SCHEME = "LOADTEST_2023"


@dataclass
class ReplicaReport:
    participants: int = 0
    faults: list[str] = field(default_factory=list)
    restarts: list[str] = field(default_factory=list)
    balancer_retries: Counter[str] = field(default_factory=Counter)
    """Answers a client sends again: the load balancer's 502 (a request in flight on the killed server) or 503 (no
    replica ready while PostgreSQL was down), and connections closed under it."""
    unavailable_answers: int = 0
    server_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    live: Counter[str] = field(default_factory=Counter)
    pushed_before_kill: int = 0
    shared_limit: limit.SharedLimit | None = None
    pending_kills: list[str] = field(default_factory=lambda: [k for k in WORKER_KILLS if k])
    seconds: float = 0.0


class BalancedPoster:
    """The app's HTTP client behind a load balancer: haproxy's own error pages (502, 503, 504, HTML, never an API
    answer) and a closed connection are sent again, the same request with the same idempotency keys, with backoff."""

    def __init__(self, inner: KeepAliveClient, counts: Counter[str], patience: float) -> None:
        self.inner, self.counts, self.patience = inner, counts, patience

    async def post_json(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        deadline, delay = time.monotonic() + self.patience, 0.25
        while True:
            try:
                status, raw = await self.inner.post_json(path, body, headers)
                if not (status in (502, 503, 504) and raw.lstrip().startswith(b"<html>")):
                    return status, raw
                self.counts[f"load balancer {status}"] += 1
            except ConnectionLost:
                self.counts["connection closed"] += 1
                status, raw = 0, b""
            if time.monotonic() > deadline:
                return (status, raw) if status else (599, b"connection closed")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 4.0)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _supervise(stack: ReplicaStack, report: ReplicaReport, stop: asyncio.Event) -> None:
    """What Kubernetes would do: a replica that ended (SIGKILLed, or crashed while PostgreSQL was down) is
    started again."""
    while not stop.is_set():
        for name, proc in list(stack.workers.items()):
            if proc.poll() is not None:
                armed = stack.armed_workers.get(name, "")
                if armed and proc.returncode == -signal.SIGKILL:
                    report.faults.append(f"{name} SIGKILLed itself at {armed}")
                    report.pending_kills.remove(armed)
                report.restarts.append(f"{name} ended with {proc.returncode}; started again")
                await asyncio.sleep(1.0)
                stack.start_worker_replica(name)  # unarmed
        for name, proc in list(stack.servers.items()):
            if proc.poll() is not None:
                report.restarts.append(f"{name} ended with {proc.returncode}; started again")
                await asyncio.sleep(1.0)
                await asyncio.to_thread(stack.start_server, name)
        await asyncio.sleep(0.2)


async def _faults(stack: ReplicaStack, report: ReplicaReport, shim: Shim, pg_down: float) -> None:
    async def someone_trained() -> bool:  # cases in training, every participant's live status subscribed
        return bool(shim.latencies.get("verifyCompletion"))

    await _when(someone_trained, 180)
    report.pushed_before_kill = shim.live["pushed"]
    subscribed = shim.live["subscribed"] + shim.live["subscribed again"]
    stack.sigkill(stack.servers["api1"])
    report.faults.append(f"API server api1 SIGKILLed ({subscribed} live-status subscriptions open on 2 servers)")
    await _when(lambda: _ready(stack, "api1"), 90)  # the supervisor started it again; haproxy routes to it
    stack.sigkill(stack.servers["api2"])  # the subscriptions that moved to api2 move back
    report.faults.append("API server api2 SIGKILLed once api1 was back")
    await asyncio.sleep(4.0)
    stack.sigkill(stack.workers["worker1"])
    report.faults.append("worker1 SIGKILLed")
    await asyncio.sleep(4.0)
    await asyncio.to_thread(stack.stop_postgres)
    await asyncio.sleep(pg_down)
    await asyncio.to_thread(stack.start_postgres)
    report.faults.append(f"PostgreSQL stopped {pg_down:.0f} s behind pgbouncer and restarted")


async def _ready(stack: ReplicaStack, name: str) -> bool:
    """The replica answers ``/readyz`` (and haproxy's next health checks will find it up)."""
    port = stack.server_ports[name]
    try:
        async with httpx2.AsyncClient(timeout=2) as http:
            ready = (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200
    except httpx2.HTTPError:
        return False
    if ready:
        await asyncio.sleep(2.5)  # haproxy: rise 2 × inter 1 s
    return ready


async def run(participants: int, pg_down: float, seed: int = 13) -> ReplicaReport:
    report = ReplicaReport(participants=participants)
    population = Population.generate(seed, 3000)
    people = clean_people(population)[:participants]
    env = {
        "PROGRAMME_SCHEME": SCHEME,
        "FAKE_PAYMENT_FAILURE_RATE": "0.004",
        "PARTNER_RATE_LIMIT": f"{limit.RATE},{limit.BURST}",
    }
    t0 = time.perf_counter()
    with replica_stack(population_seed=seed, population_size=3000, extra_env=env) as stack:
        stop = asyncio.Event()
        supervisor = asyncio.create_task(_supervise(stack, report, stop))
        engine = create_async_engine(stack.direct_url, pool_size=5, max_overflow=5, pool_pre_ping=True)
        partner = FakePaymentPartner(engine, latency=(0, 0))
        try:
            await partner.ensure_schema()
            async with httpx2.AsyncClient(base_url=stack.http_url, timeout=120) as http:
                shim = Shim(stack.env, http, engine, population, patience=pg_down + 60)
                poster = BalancedPoster(shim.poster, report.balancer_retries, patience=pg_down + 60)
                shim.poster = poster  # type: ignore[assignment]
                m = await prepare(shim, people)
                tokens = await select_everyone(shim, people, 10)
                faults = asyncio.create_task(_faults(stack, report, shim, pg_down))
                outcomes = await asyncio.gather(
                    *(lifecycle(shim, m, partner, p, t) for p, t in zip(people, tokens, strict=True)),
                    return_exceptions=True,
                )
                await faults
                failed = [o for o in outcomes if isinstance(o, BaseException)]
                report.server_errors = [_short(o) for o in failed if _SERVER_ERROR.match(str(o))]
                cases = [o for o in outcomes if isinstance(o, str)]
                report.unavailable_answers = sum(shim.retries.values())
                report.problems = [
                    f"a lifecycle failed: {_short(o)}" for o in failed if not _SERVER_ERROR.match(str(o))
                ]
                report.problems += await case_problems(shim, engine, cases, tokens)
                report.problems += [f"no worker reached kill point {p}" for p in report.pending_kills]
                report.shared_limit = await limit.shared_limit(shim, stack.http_url)
                report.problems += report.shared_limit.problems()
                report.live = shim.live
                await poster.aclose()
        finally:
            stop.set()
            await supervisor
            await engine.dispose()
    report.seconds = time.perf_counter() - t0
    return report


_SERVER_ERROR = re.compile(r"^\w+: (5\d\d|200) ")
"""``Shim``'s error for an answer that is neither a result nor a typed error: a 5xx, or a 200 with GraphQL errors."""


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def print_report(report: ReplicaReport) -> int:
    lost = sum("lost" in p or "case rows" in p for p in report.problems)
    duplicated = sum("twice" in p or "transfers at the partner" in p for p in report.problems)
    reconnected = report.live["subscribed again"]
    print(f"drill: multi-replica (haproxy, 2 API servers, 2 workers, pgbouncer), {report.seconds:.0f} s")
    for fault in report.faults:
        print(f"  fault injected: {fault}")
    for restart in report.restarts:
        print(f"  consequence: {restart}")
    retried = ", ".join(f"{k} {v}" for k, v in sorted(report.balancer_retries.items())) or "none"
    unavailable = report.unavailable_answers
    print(f"  sent again by the client: {retried}; typed 'temporarily unavailable' answers {unavailable}")
    print(
        f"drills run 1, cases moved {report.participants} (apply → job search), faults injected {len(report.faults)}, "
        f"lost {lost}, duplicated {duplicated}, server errors {len(report.server_errors)}, "
        f"subscriptions reconnected {reconnected} (of {report.live['subscribed']}; "
        f"{report.live['pushed'] - report.pushed_before_kill} statuses pushed after the first server kill)"
    )
    if report.shared_limit is not None:
        shared = report.shared_limit
        served = ", ".join(f"{k} {v}" for k, v in sorted(shared.replicas.items()))
        print(
            f"  partner rate limit across replicas: {shared.accepted} of {shared.sent} signed requests let through "
            f"(burst {limit.BURST}), {shared.limited} refused with 429; answered by {served}"
        )
    for error in report.server_errors:
        print(f"  SERVER ERROR: {error}")
    for problem in report.problems:
        print(f"  PROBLEM: {problem}")
    if reconnected == 0:
        print("  PROBLEM: no live-status subscription reconnected through the load balancer")
    return 1 if report.problems or report.server_errors or reconnected == 0 else 0
