"""Training benchmark: N participants enroll, then each buys a course and redeems it, C at a time.

    python -m bench.training --participants 300 --concurrency 20

Real processes (embedded PostgreSQL, Temporal dev server, worker.py, server.py). ParticipantWorkflows start at
SELECTED and enroll themselves (card + credit); then per participant over HTTP: requestPurchaseOtp, the OTP from
the SMS outbox, purchaseTraining, the same purchase retried, and the official signed REST redeem. Ends with SQL
ledger checks.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import re
import time
import uuid
from collections import Counter
from typing import Any

import httpx2
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from temporalio.client import Client

from adapters.payloads import data_converter
from adapters.registries.population import Person, Population
from bench.smoke import parse
from bench.stack import BenchStack, bench_stack
from caseapi.shared.auth import Role, mint_token
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.case import Stage
from domain.messages import CaseState, ParticipantInput
from tests.integration.training_queries import PURCHASE, REGISTER_PARTNER, REQUEST_OTP, STAFF_UPSERT_COURSE
from workflows.participant import ParticipantWorkflow

COMMIT = "/api/v1/integration/payment/redeem-code/commit"
PRICE = 1_000_000
OPS = ("otp", "purchase", "purchase-retry", "rest-redeem")
DEBITS = "SELECT count(*) FROM ledger_entries WHERE kind = 'DEBIT'"
NEGATIVE = (  # running balance per card, in append order
    "SELECT count(*) FROM (SELECT sum(CASE WHEN kind IN ('CREDIT', 'REFUND') THEN amount ELSE -amount END)"
    " OVER (PARTITION BY case_id ORDER BY id) AS balance FROM ledger_entries) running WHERE balance < 0"
)
ORPHANS = (
    "SELECT count(*) FROM ledger_entries l LEFT JOIN vouchers v ON v.voucher_code = l.reference"
    " WHERE l.kind = 'DEBIT' AND v.voucher_code IS NULL"
)


class Bench:
    def __init__(self, stack: BenchStack, http: httpx2.AsyncClient, engine: AsyncEngine) -> None:
        self.stack, self.http, self.engine = stack, http, engine
        self.latencies: dict[str, list[float]] = {op: [] for op in OPS}
        self.errors: Counter[str] = Counter()

    def token(self, role: Role, subject: str, **extra: object) -> str:
        endpoint = "staff" if role is Role.STAFF else role.value
        issuer = self.stack.env.get("JWT_ISSUER", "prakerja-cases")
        secret = self.stack.env["JWT_SECRET"]
        return mint_token(secret=secret, issuer=issuer, endpoint=endpoint, subject=subject, role=role, **extra)

    async def gql(self, endpoint: str, query: str, variables: dict[str, Any], token: str, op: str = "") -> Any:
        t0 = time.perf_counter()
        resp = await self.http.post(
            f"/graphql/{endpoint}",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )
        if op:
            self.latencies[op].append(time.perf_counter() - t0)
        body = resp.json()
        if resp.status_code != 200 or "errors" in body:
            raise RuntimeError(f"{endpoint}: {resp.status_code} {body}")
        return next(iter(body["data"].values()))

    async def otp(self, case_id: str) -> str:
        for _ in range(50):
            async with self.engine.connect() as conn:
                body = await conn.scalar(
                    text(
                        "SELECT body FROM notifications WHERE case_id = :c AND kind = 'PURCHASE_OTP'"
                        " ORDER BY id DESC LIMIT 1"
                    ),
                    {"c": case_id},
                )
            if match := re.search(r"\b(\d{6})\b", body or ""):
                return match.group(1)
            await asyncio.sleep(0.05)
        raise RuntimeError(f"no OTP for {case_id}")

    async def redeem(self, provider: str, key: str, redeem_code: str) -> dict[str, Any]:
        stamp = str(int(time.time()))
        body = json.dumps({"redeem_code": redeem_code, "sequence": 1}, separators=(",", ":"))
        sig = hmac.new(key.encode(), f"{provider}{stamp}POST{COMMIT}{body}".encode(), hashlib.sha1).hexdigest()
        headers = {"client_code": provider, "timestamp": stamp, "signature": sig, "content-type": "application/json"}
        t0 = time.perf_counter()
        resp = await self.http.post(COMMIT, content=body, headers=headers)
        self.latencies["rest-redeem"].append(time.perf_counter() - t0)
        if resp.status_code != 200:
            raise RuntimeError(f"redeem {resp.status_code}: {resp.text}")
        return resp.json()["data"]


def _state(person: Person, scheme: str, now: dt.datetime) -> CaseState:
    home = Address("Jl. Bench 1", person.province_code, person.regency_code)
    form = ApplicationForm(
        email="b@example.id",
        phone="081234567890",
        nik=person.nik,
        kk_number=person.kk_number,
        date_of_birth=person.date_of_birth,
        full_name=person.full_name,
        sex=Sex(person.sex),
        ktp_address=home,
        domicile=home,
        education=Education.SMA,
        employment_status=EmploymentStatus.JOB_SEEKER,
        training_interest="bench",
        consent=True,
    )
    case_id = uuid.uuid4().hex
    return CaseState(case_id, scheme, f"bench-{case_id}", Stage.SELECTED, form, now, f"req-{case_id[:8]}")


async def _limited(coros: list[Any], limit: int) -> None:
    sem = asyncio.Semaphore(limit)

    async def run(c: Any) -> None:
        async with sem:
            await c

    await asyncio.gather(*(run(c) for c in coros))


async def _market(b: Bench) -> tuple[str, str, str, str]:
    """A platform, a provider (its sign key) and one self-paced course: (platform, provider, key, course)."""
    tag = uuid.uuid4().hex[:6]
    platform, provider, course = f"dp-{tag}", f"lpk-{tag}", f"selfpaced-{tag}"
    staff = b.token(Role.STAFF, "bench-staff", provinces=["*"])
    keys = {}
    for code, kind in ((platform, "DIGITAL_PLATFORM"), (provider, "TRAINING_PROVIDER")):
        done = await b.gql("staff", REGISTER_PARTNER, {"code": code, "name": code, "type": kind}, staff)
        assert done["__typename"] == "PartnerRegistered", done
        keys[code] = done["signKey"]
    inp = {
        "courseCode": course,
        "title": "Pelatihan bench",
        "providerCode": provider,
        "platformCode": platform,
        "price": PRICE,
        "mode": "SELF_PACED",
        "category": "Digital Marketing",
        "sessions": [],
    }
    saved = await b.gql("staff", STAFF_UPSERT_COURSE, {"input": inp}, staff)
    assert saved["__typename"] == "Course", saved
    return platform, provider, keys[provider], course


async def _buy_and_redeem(b: Bench, case_id: str, card: str, market: tuple[str, str, str, str]) -> None:
    platform, provider, key, course = market
    token = b.token(Role.PARTNER, platform, client_code=platform)
    try:
        otp_vars = {"card": card, "course": course, "price": PRICE, "rid": uuid.uuid4().hex}
        sent = await b.gql("partner", REQUEST_OTP, otp_vars, token, "otp")
        if sent["__typename"] != "OtpChallengeSent":
            b.errors[f"otp:{sent.get('code', sent['__typename'])}"] += 1
            return
        otp, idem = await b.otp(case_id), uuid.uuid4().hex
        inp = {"cardNumber": card, "courseCode": course, "price": PRICE, "otp": otp, "idempotencyKey": idem}
        receipt = await b.gql("partner", PURCHASE, {"input": inp}, token, "purchase")
        if receipt["__typename"] != "PurchaseReceipt":
            b.errors[f"purchase:{receipt.get('code', receipt['__typename'])}"] += 1
            return
        again = await b.gql("partner", PURCHASE, {"input": inp}, token, "purchase-retry")
        if again != receipt:  # the same voucher, invoice, redeem code and balance: one debit
            b.errors["retry:different receipt"] += 1
        data = await b.redeem(provider, key, receipt["redeemCode"])
        if data["redeem_code"] != receipt["redeemCode"] or data["status"] != 1:  # 1: redeemed (official contract)
            b.errors["redeem:unexpected"] += 1
    except Exception as exc:  # counted and shown; the ledger check then fails loudly
        b.errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1


async def _ledger_problems(engine: AsyncEngine, n: int) -> list[str]:
    async with engine.connect() as conn:
        debits, negative, orphans = [await conn.scalar(text(q)) for q in (DEBITS, NEGATIVE, ORPHANS)]
    problems = [] if debits == n else [f"{debits} DEBIT entries, expected {n}"]
    problems += [f"{negative} entries leave a negative balance"] if negative else []
    return problems + ([f"{orphans} debits without a voucher"] if orphans else [])


def _row(name: str, lat: list[float], wall: float) -> str:
    s = sorted(lat) or [float("nan")]
    p = lambda q: s[min(len(s) - 1, int(q * len(s)))] * 1000  # noqa: E731
    return f"{name:<16}{len(lat):>7}{len(lat) / wall:>10.1f}{p(0.50):>9.0f}{p(0.95):>9.0f}{p(0.99):>9.0f}"


async def main(args: argparse.Namespace) -> None:
    n = args.participants
    people = [p for p in Population.generate(args.seed, max(2 * n, 1000)) if p.alive][:n]
    assert len(people) == n, "population too small"
    with bench_stack(population_seed=args.seed, population_size=1000) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=args.concurrency, max_overflow=args.concurrency)
        limits = httpx2.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx2.AsyncClient(base_url=stack.http_url, timeout=60, limits=limits) as http:
            b = Bench(stack, http, engine)
            market = await _market(b)
            scheme = stack.env.get("PROGRAMME_SCHEME", "NORMAL_2023")
            task_queue = stack.env.get("TASK_QUEUE", "participants")
            now = dt.datetime.now(dt.UTC)
            states = [_state(p, scheme, now) for p in people]
            t0 = time.perf_counter()
            starts = [
                client.start_workflow(
                    ParticipantWorkflow.run,
                    ParticipantInput(s.case_id, scheme, s),
                    id=f"participant-{s.case_id}",
                    task_queue=task_queue,
                )
                for s in states
            ]
            await _limited(starts, 64)
            while True:
                async with engine.connect() as conn:
                    cards = dict((await conn.execute(text("SELECT case_id, card_number FROM cards"))).all())
                if len(cards) >= n or time.perf_counter() - t0 > 600:
                    break
                await asyncio.sleep(0.2)
            enrolled = time.perf_counter() - t0
            if len(cards) < n:
                raise SystemExit(f"only {len(cards)}/{n} enrolled after {enrolled:.0f} s")
            t1 = time.perf_counter()
            await _limited([_buy_and_redeem(b, s.case_id, cards[s.case_id], market) for s in states], args.concurrency)
            bought = time.perf_counter() - t1
            problems = await _ledger_problems(engine, n)
        await engine.dispose()
    print(f"participants {n}, concurrency {args.concurrency}, scheme {scheme}")
    print(f"enrolled (card + credit) in {enrolled:.1f} s  -> {n / enrolled:.1f} enrollments/s")
    print(f"purchase flows (otp + purchase + retry + redeem) in {bought:.1f} s  -> {n / bought:.1f} flows/s")
    print(f"{'call':<16}{'count':>7}{'per s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for op in OPS:
        print(_row(op, b.latencies[op], bought))
    if problems or b.errors:
        raise SystemExit("CHECK FAILED: " + "; ".join(problems + [f"{k} x{v}" for k, v in b.errors.items()]))
    print(f"ledger OK ({n} debits, each with a voucher, no negative balance)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.training")
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(main(parse(parser, participants=8, concurrency=4)))
