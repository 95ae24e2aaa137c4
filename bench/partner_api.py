"""Partner API benchmark: the same partner work through the official REST endpoints and through the partner
GraphQL schema, in one run, on one stack.

    python -m bench.partner_api --participants 60 --concurrency 8

Real processes (embedded PostgreSQL, Temporal dev server, worker.py, server.py). Participants start at SELECTED
and enroll themselves; half go through each path, one path after the other, each flow a DP purchase and then the
LP's redeem of its code:

- REST (signed, partner-api.md): ``quota-schedule`` -> ``send-otp`` -> (the OTP from the SMS outbox) ->
  ``authorize`` with ``Authorization: Payment <token>``; then ``redeem-code/status`` -> ``redeem-code/commit``.
- GraphQL (partner schema): ``requestPurchaseOtp`` -> (the OTP) -> ``purchaseTraining``; then ``voucherStatus`` ->
  ``redeemVoucher``.

Prints each path's purchases/s, flow p50/p99, every call's p50/p99, and the stack's CPU per flow (server, worker,
PostgreSQL, Temporal); the REST/GraphQL cost ratio is CPU per flow (target: REST costs at most 10% more).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx2
import uvloop
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.client import Client

from adapters.db.case_store import PgCaseStore
from adapters.db.partner_api import PgPartnerApiStore
from adapters.db.pii import pii_cipher
from adapters.payloads import data_converter
from adapters.registries.population import Population
from bench.figures import pct
from bench.http_client import KeepAliveClient
from bench.smoke import parse
from bench.stack import bench_stack, machine_ticks
from bench.training import Bench, _limited, _state
from caseapi.shared.auth import Role
from domain.messages import CaseRecord, CaseState, ParticipantInput
from domain.training.schedules import Schedule
from settings import Settings
from tests.integration.training_queries import PURCHASE, REDEEM, REGISTER_PARTNER, REQUEST_OTP, STAFF_UPSERT_COURSE
from workflows.participant import ParticipantWorkflow

PRICE = 1_000_000
BASE = "/api/v1/integration"
STATUS = """query V($c: String!) { voucherStatus(redeemCode: $c, sequence: 1) {
  __typename ... on RedeemReceipt { redeemCode status } ... on Error { code message } } }"""
TARGET = 1.10
"""REST may cost at most 10% more than GraphQL (issue 22)."""


class Calls:
    """Signed REST posts and GraphQL posts over one lean keep-alive client; every call's latency by name."""

    def __init__(self, bench: Bench, url: str, connections: int) -> None:
        self.bench = bench
        self.http = KeepAliveClient(url, connections=connections)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self._signed: set[tuple[str, int]] = set()

    async def _post(self, name: str, path: str, body: bytes, headers: dict[str, str]) -> Any:
        t0 = time.perf_counter()
        status, raw = await self.http.post_json(path, body, headers)
        self.latencies[name].append(time.perf_counter() - t0)
        answer = json.loads(raw)
        if status != 200 or "errors" in answer:
            raise RuntimeError(f"{name}: {status} {answer}")
        return answer

    async def rest(self, name: str, client: str, key: str, body: dict[str, Any], *, payment: str = "") -> Any:
        path = f"{BASE}/{name}"
        compact = json.dumps(body, separators=(",", ":"))
        # An identical body (every quota check) signed with a timestamp used before would be a replay: step back.
        now = int(time.time())
        stamp = next(now - back for back in range(240) if (compact, now - back) not in self._signed)
        self._signed.add((compact, stamp))
        signature = hmac.new(key.encode(), f"{client}{stamp}POST{path}{compact}".encode(), hashlib.sha1).hexdigest()
        headers = {"client_code": client, "timestamp": str(stamp), "signature": signature}
        if payment:
            headers["Authorization"] = f"Payment {payment}"
        return (await self._post(name, path, compact.encode(), headers))["data"]

    async def gql(self, name: str, query: str, variables: dict[str, Any], token: str) -> Any:
        body = json.dumps({"query": query, "variables": variables}).encode()
        answer = await self._post(name, "/graphql/partner", body, {"authorization": f"Bearer {token}"})
        return next(iter(answer["data"].values()))


@dataclass(frozen=True)
class Market:
    platform: str
    provider: str
    keys: dict[str, str]
    courses: dict[str, str]
    schedule: str


async def _market(b: Bench, engine: Any, flows: int) -> Market:
    """A platform, a provider and a self-paced course per path; REST's course has a schedule with seats for all."""
    tag = uuid.uuid4().hex[:6]
    platform, provider = f"dp-{tag}", f"lpk-{tag}"
    staff = b.token(Role.STAFF, "bench-staff", provinces=["*"])
    keys = {}
    for code, kind in ((platform, "DIGITAL_PLATFORM"), (provider, "TRAINING_PROVIDER")):
        done = await b.gql("staff", REGISTER_PARTNER, {"code": code, "name": code, "type": kind}, staff)
        keys[code] = done["signKey"]
    courses = {path: f"{path}-{tag}" for path in ("rest", "graphql")}
    for course in courses.values():
        inp = {"courseCode": course, "title": "Pelatihan bench", "providerCode": provider, "platformCode": platform,
               "price": PRICE, "mode": "SELF_PACED", "category": "Digital Marketing", "sessions": []}  # fmt: skip
        assert (await b.gql("staff", STAFF_UPSERT_COURSE, {"input": inp}, staff))["__typename"] == "Course"
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    schedule = f"sch-{tag}"
    await PgPartnerApiStore(engine).upsert_schedule(
        Schedule(schedule, courses["rest"], start, start + dt.timedelta(hours=3), 2 * flows)
    )
    return Market(platform, provider, keys, courses, schedule)


async def rest_flow(c: Calls, m: Market, case_id: str, card: str) -> None:
    dp, lp = m.platform, m.provider
    ask = {"course_code": m.courses["rest"], "schedule_code": m.schedule}
    if (await c.rest("payment/quota-schedule", dp, m.keys[dp], ask))["quota"] < 1:
        raise RuntimeError("quota: sold out")
    order = {**ask, "prakerja_id": card, "user_platform_id": case_id[:12], "amount": PRICE}
    token = (await c.rest("payment/send-otp", dp, m.keys[dp], order))["payment_token"]
    invoice = f"INV-{uuid.uuid4().hex[:10]}"
    pay = {"otp": await c.bench.otp(case_id), "invoice_url": f"https://dp.example/{invoice}", "invoice_code": invoice}
    receipt = await c.rest("payment/authorize", dp, m.keys[dp], pay, payment=token)
    async with c.bench.engine.connect() as conn:  # the participant gives the LP the code (not timed)
        code = await conn.scalar(
            text("SELECT redeem_code FROM vouchers WHERE invoice_code = :t"), {"t": receipt["transaction_code"]}
        )
    status = await c.rest("payment/redeem-code/status", lp, m.keys[lp], {"redeem_code": code, "sequence": 1})
    if status["status"] != 0:
        raise RuntimeError(f"status before commit: {status}")
    done = await c.rest("payment/redeem-code/commit", lp, m.keys[lp], {"redeem_code": code, "sequence": 1})
    if done["status"] != 1:
        raise RuntimeError(f"commit: {done}")


async def graphql_flow(c: Calls, m: Market, case_id: str, card: str) -> None:
    dp = c.bench.token(Role.PARTNER, m.platform, client_code=m.platform)
    lp = c.bench.token(Role.PARTNER, m.provider, client_code=m.provider)
    course = m.courses["graphql"]
    ask = {"card": card, "course": course, "price": PRICE, "rid": uuid.uuid4().hex}
    sent = await c.gql("requestPurchaseOtp", REQUEST_OTP, ask, dp)
    if sent["__typename"] != "OtpChallengeSent":
        raise RuntimeError(f"otp: {sent}")
    inp = {"cardNumber": card, "courseCode": course, "price": PRICE, "otp": await c.bench.otp(case_id),
           "idempotencyKey": uuid.uuid4().hex}  # fmt: skip
    receipt = await c.gql("purchaseTraining", PURCHASE, {"input": inp}, dp)
    if receipt["__typename"] != "PurchaseReceipt":
        raise RuntimeError(f"purchase: {receipt}")
    code = receipt["redeemCode"]
    status = await c.gql("voucherStatus", STATUS, {"c": code}, lp)
    if status.get("status") != "UNUSED":
        raise RuntimeError(f"status before redeem: {status}")
    done = await c.gql("redeemVoucher", REDEEM, {"code": code, "key": uuid.uuid4().hex, "seq": 1}, lp)
    if done["__typename"] != "RedeemReceipt":
        raise RuntimeError(f"redeem: {done}")


async def _register(store: PgCaseStore, s: CaseState) -> None:
    """The read-model row an application would have made (the bench starts cases at SELECTED, past applying)."""
    assert s.application is not None and s.applied_at is not None
    at = s.applied_at
    record = CaseRecord(s.case_id, f"participant-{s.case_id}", s.account_id or "", s.scheme_id, s.stage, 0,
                        s.application, (), "", at, at)  # fmt: skip
    await store.register(record)


Flow = Callable[[Calls, Market, str, str], Awaitable[None]]


async def _phase(c: Calls, m: Market, flow: Flow, cases: list[tuple[str, str]], concurrency: int, stack: Any):
    """Run ``flow`` for every case; (wall s, flow latencies, CPU s by process)."""
    before = stack.usage()
    latencies: list[float] = []

    async def one(case_id: str, card: str) -> None:
        t0 = time.perf_counter()
        try:
            await flow(c, m, case_id, card)
            latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # counted; the run fails at the end
            c.errors[f"{flow.__name__}: {str(exc)[:160]}"] += 1

    t0 = time.perf_counter()
    await _limited([one(case_id, card) for case_id, card in cases], concurrency)
    wall = time.perf_counter() - t0
    cpu = {k: cpu - before[k][0] for k, (cpu, _) in stack.usage().items() if k != "client"}
    return wall, latencies, cpu


async def main(args: argparse.Namespace) -> None:
    n = args.participants
    people = [p for p in Population.generate(args.seed, max(2 * n, 1000)) if p.alive][:n]
    with bench_stack(population_seed=args.seed, population_size=1000) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=args.concurrency, max_overflow=args.concurrency)
        setup = httpx2.AsyncClient(base_url=stack.http_url, timeout=60)
        settings = Settings.from_env(stack.env)
        store = PgCaseStore(engine, blind_key=settings.blind_index_key.reveal().encode(), cipher=pii_cipher(settings))
        b = Bench(stack, setup, engine)  # staff set-up and the OTP from the outbox
        c = Calls(b, stack.http_url, args.concurrency)
        m = await _market(b, engine, n)
        scheme, queue = stack.env.get("PROGRAMME_SCHEME", "NORMAL_2023"), stack.env.get("TASK_QUEUE", "participants")
        states = [_state(p, scheme, dt.datetime.now(dt.UTC)) for p in people]
        await _limited([_register(store, s) for s in states], 16)  # send-otp reads the buyer from the read model
        starts = [
            client.start_workflow(
                ParticipantWorkflow.run,
                ParticipantInput(s.case_id, scheme, s),
                id=f"participant-{s.case_id}",
                task_queue=queue,
            )
            for s in states
        ]
        await _limited(starts, 32)
        cards: dict[str, str] = {}
        for _ in range(3000):
            async with engine.connect() as conn:
                cards = dict((await conn.execute(text("SELECT case_id, card_number FROM cards"))).all())
            if len(cards) >= n:
                break
            await asyncio.sleep(0.2)
        cases = [(s.case_id, cards[s.case_id]) for s in states]
        half, q = len(cases) // 2, len(cases) // 4
        ticks0 = machine_ticks()
        # GraphQL, REST, REST, GraphQL: neither path always runs first (cold caches) or last (the other's tail).
        order = (("graphql", cases[:q]), ("rest", cases[q:half]), ("rest", cases[half:-q]), ("graphql", cases[-q:]))
        results: dict[str, tuple[float, list[float], dict[str, float]]] = {}
        for path, chunk in order:
            flow = graphql_flow if path == "graphql" else rest_flow
            wall, lat, cpu = await _phase(c, m, flow, chunk, args.concurrency, stack)
            if path in results:
                w0, l0, c0 = results[path]
                wall, lat, cpu = w0 + wall, l0 + lat, {k: c0[k] + v for k, v in cpu.items()}
            results[path] = (wall, lat, cpu)
        ticks = {k: v - ticks0[k] for k, v in machine_ticks().items()}
        await setup.aclose()
        await engine.dispose()
    print(f"participants {n} ({half} per path; GraphQL, REST, REST, GraphQL), concurrency {args.concurrency}")
    print(f"{'path':<9}{'flows':>6}{'purchases/s':>13}{'flow p50 ms':>13}{'flow p99 ms':>13}{'CPU core-s/flow':>17}")
    cost: dict[str, float] = {}
    for path, (wall, lat, cpu) in results.items():
        cost[path] = sum(cpu.values()) / max(1, len(lat))
        print(f"{path:<9}{len(lat):>6}{len(lat) / wall:>13.2f}{pct(lat, 0.5):>13.0f}{pct(lat, 0.99):>13.0f}"
              f"{cost[path]:>17.3f}")  # fmt: skip
        print(f"  CPU per flow: {', '.join(f'{k} {v / max(1, len(lat)):.3f} s' for k, v in cpu.items())}")
    print(f"{'call':<30}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}")
    for name, lat in sorted(c.latencies.items()):
        print(f"{name:<30}{len(lat):>7}{pct(lat, 0.5):>9.1f}{pct(lat, 0.99):>9.1f}")
    share = {k: 100 * v / max(1, sum(ticks.values())) for k, v in ticks.items()}
    busy, idle, steal = (share[k] for k in ("busy", "idle", "steal"))
    print(f"machine: busy {busy:.0f}%, idle {idle:.0f}%, stolen by the hypervisor {steal:.0f}%")
    ratio = cost["rest"] / cost["graphql"]
    lat_ratio = pct(results["rest"][1], 0.5) / pct(results["graphql"][1], 0.5)
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"REST/GraphQL cost: CPU per flow x{ratio:.2f} ({100 * (ratio - 1):+.0f}%), flow p50 x{lat_ratio:.2f}; "
          f"target <= x{TARGET:.2f}: {verdict}")  # fmt: skip
    if c.errors:
        raise SystemExit("CHECK FAILED: " + "; ".join(f"{k} x{v}" for k, v in c.errors.items()))
    print(f"OK: {sum(len(r[1]) for r in results.values())} purchases and redeems, none refused")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.partner_api")
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    uvloop.run(main(parse(parser, participants=8, concurrency=4)))
