"""Payout benchmark: N participants whose job-search incentive is due are paid through the fake partner, then the
day is reconciled.

    python -m bench.payouts --participants 500

Real processes (embedded PostgreSQL, Temporal dev server, worker.py, server.py). The partner answers in
5–30 ms and rejects ~0.4% of transfers at random (``FAKE_PAYMENT_FAILURE_RATE``); those are retried with a new
attempt after the scheme's retry delay (compressed to 1 s here). Prints payouts/s, the time from due to paid,
attempts, the reconciliation of the day, and checks that no tranche was paid twice.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.client import Client

from adapters.payloads import data_converter
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.registries.population import Population
from bench.figures import pct
from bench.smoke import parse
from bench.stack import bench_stack
from bench.training import _limited, _state
from domain.clock import programme_date
from domain.messages import ParticipantInput
from tests.workflows.payout_steps import due_case
from workflows.participant import ParticipantWorkflow
from workflows.reconciliation import ReconciliationWorkflow

SCHEME = "NORMAL_2023_X3600"  # a transient failure is retried after 1 s instead of 1 h
SETTLED = "SELECT count(*) FROM payments WHERE status = 'PAID'"
TWICE = (
    "SELECT count(*) FROM (SELECT split_part(key, '/', 1) FROM fake_partner_transfers WHERE outcome = 'PAID'"
    " GROUP BY 1 HAVING count(*) > 1) doubles"
)
LATENCY = "SELECT extract(epoch FROM settled_at - created_at) FROM payments WHERE status = 'PAID' ORDER BY 1"
ATTEMPTS = "SELECT attempt, count(*) FROM payments WHERE status = 'PAID' GROUP BY 1 ORDER BY 1"


async def main(args: argparse.Namespace) -> None:
    n = args.participants
    people = [p for p in Population.generate(args.seed, max(2 * n, 1000)) if p.alive][:n]
    extra = {"FAKE_PAYMENT_FAILURE_RATE": str(args.failure_rate)}
    with bench_stack(population_seed=args.seed, population_size=1000, extra_env=extra) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=20, max_overflow=10)
        partner = FakePaymentPartner(engine, latency=(0, 0))
        await partner.ensure_schema()
        task_queue = stack.env.get("TASK_QUEUE", "participants")
        now = dt.datetime.now(dt.UTC)
        states = [due_case(_state(p, SCHEME, now).application, now, SCHEME) for p in people]  # type: ignore[arg-type]
        for s, p in zip(states, people, strict=True):
            acct = s.payout_account
            assert acct is not None
            await partner.open_account(acct.provider, acct.account_number, p.nik, p.full_name)
        t0 = time.perf_counter()
        await _limited(
            [
                client.start_workflow(
                    ParticipantWorkflow.run,
                    ParticipantInput(s.case_id, SCHEME, s),
                    id=f"participant-{s.case_id}",
                    task_queue=task_queue,
                )
                for s in states
            ],
            64,
        )
        while True:
            async with engine.connect() as conn:
                paid = await conn.scalar(text(SETTLED))
            if paid >= n or time.perf_counter() - t0 > 600:
                break
            await asyncio.sleep(0.2)
        wall = time.perf_counter() - t0
        async with engine.connect() as conn:
            latency = [float(x) for x in (await conn.execute(text(LATENCY))).scalars()]
            attempts = dict((await conn.execute(text(ATTEMPTS))).all())
            failed = await conn.scalar(text("SELECT count(*) FROM payments WHERE status = 'FAILED'"))
            twice = await conn.scalar(text(TWICE))
        t1 = time.perf_counter()
        run = await client.execute_workflow(
            ReconciliationWorkflow.run,
            programme_date(dt.datetime.now(dt.UTC)),
            id=f"bench-reconcile-{int(t1)}",
            task_queue=task_queue,
        )
        reconciled = time.perf_counter() - t1
        await engine.dispose()
    print(f"participants {n}, scheme {SCHEME}, partner random failure rate {args.failure_rate:.3%}")
    print(f"paid {paid}/{n} job-search incentives in {wall:.1f} s  -> {paid / wall:.1f} payouts/s (incl. starts)")
    print(f"claim -> settled per payout: p50 {pct(latency, 0.5):.0f} ms, p99 {pct(latency, 0.99):.0f} ms")
    print(f"paid on attempt: {attempts}; transient failures retried: {failed}")
    print(
        f"reconciliation of the day: {run.statement_lines} statement lines vs {run.payments} payments in "
        f"{reconciled:.1f} s, {run.discrepancies} discrepancies"
    )
    if paid < n or twice or run.discrepancies:
        raise SystemExit(
            f"CHECK FAILED: paid {paid}/{n}, tranches paid twice {twice}, discrepancies {run.discrepancies}"
        )
    print("OK: every tranche paid exactly once, statement and books agree")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.payouts")
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--failure-rate", type=float, default=0.004)
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(main(parse(parser, participants=8)))
