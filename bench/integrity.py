"""Provider integrity view benchmark: ``PgIntegrity`` (the real adapter) over N trainings.

    python -m bench.integrity --trainings 1000000

Starts its own embedded PostgreSQL in a temporary directory, migrates to the head, seeds N trainings set-based
(``bench/integrity_seed.py``: skewed providers, 8 courses each, planted patterns), rebuilds ``training_stats`` and
files TRAINING complaints through the real trigger, VACUUM ANALYZE, checks that the planted patterns are flagged,
then times the view's queries one at a time — provider pages (national and a monitor-sized scope of 20 providers),
one provider's courses (with the identical-timing clusters), and each flag's evidence (first=50) — for random
providers and the largest: p50/p95/p99 per query and overall, PASS when every p99 is under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.db.integrity import PgIntegrity
from adapters.db.migrate import upgrade
from bench.integrity_seed import seed
from bench.smoke import parse
from bench.tuned_postgres import on_tuned_postgres
from domain.training.integrity import NATIONAL, FlagKind, ProviderScope, flags

TARGET_MS = 200.0
SERVER_SETTINGS = {"shared_buffers": "1GB", "maintenance_work_mem": "512MB", "max_wal_size": "8GB",
                   "checkpoint_timeout": "30min"}  # fmt: skip
PLANTED = {
    ("lpk-0003", FlagKind.RUSHED_ATTENDANCE),
    ("lpk-0005", FlagKind.IDENTICAL_TIMINGS),
    ("lpk-0008", FlagKind.LOW_TASK_PASS),
    ("lpk-0009", FlagKind.LOW_RATING),
    ("lpk-0011", FlagKind.COMPLAINTS),
}


class Timings:
    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.rows: dict[str, int] = defaultdict(int)

    async def run(self, kind: str, call: Callable[[], Awaitable[Any]]) -> Any:
        t0 = time.perf_counter()
        result = await call()
        self.ms[kind].append((time.perf_counter() - t0) * 1000)
        self.rows[kind] += len(getattr(result, "items", result))
        return result

    def report(self) -> bool:
        everything = [m for ms in self.ms.values() for m in ms]
        ok = True
        print(f"{'query':<34} {'n':>5} {'rows/q':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for kind, ms in [*sorted(self.ms.items()), ("overall", everything)]:
            q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
            rows = (self.rows[kind] if kind in self.rows else sum(self.rows.values())) / len(ms)
            verdict = "PASS" if q[98] < TARGET_MS else "FAIL"
            ok &= verdict == "PASS"
            print(f"{kind:<34} {len(ms):>5} {rows:>7.1f} {q[49]:>8.2f} {q[94]:>8.2f} {q[98]:>8.2f} {max(ms):>8.2f}"
                  f"  {verdict}")  # fmt: skip
        return ok


async def planted_found(view: PgIntegrity, providers: int) -> set[tuple[str, FlagKind]]:
    found: set[tuple[str, FlagKind]] = set()
    for row in await view.providers(NATIONAL, first=min(providers, 200), after=None):
        found |= {(row.provider_code, f) for f in flags(row)}
    for code, _ in PLANTED:
        for row in await view.courses(NATIONAL, code):
            found |= {(code, f) for f in flags(row)}
    return found


async def queries(view: PgIntegrity, codes: list[str], *, per_type: int, seed_: int) -> Timings:
    rnd = random.Random(seed_)
    timings = Timings()
    largest = codes[0]

    def provider(i: int) -> str:
        return largest if i % 4 == 0 else rnd.choice(codes)

    for i in range(per_type):
        after = rnd.choice(codes) if i % 2 else None
        await timings.run("providers page (national)", lambda a=after: view.providers(NATIONAL, first=50, after=a))
        monitored = ProviderScope(frozenset(rnd.sample(codes, min(20, len(codes)))))
        await timings.run("providers (20 monitored)", lambda s=monitored: view.providers(s, first=50, after=None))
        one = provider(i)
        await timings.run("courses of a provider", lambda p=one: view.courses(NATIONAL, p))
        for kind in FlagKind:
            p = provider(i)
            course = f"{p}-c{i % 8}" if i % 3 == 0 else None

            async def call(p: str = p, kind: FlagKind = kind, course: str | None = course, more: bool = i % 5 == 0):
                page = await view.evidence(NATIONAL, p, kind, course_code=course, first=50, after=None)
                if page.has_next_page and more:  # the next page by keyset
                    page = await view.evidence(NATIONAL, p, kind, course_code=course, first=50, after=page.end_cursor)
                return page

            await timings.run(f"evidence {kind.value}", call)
    return timings


async def bench(url: str, args: argparse.Namespace) -> bool:
    upgrade(url)
    engine = make_engine(url, pool_size=2)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        t0 = time.perf_counter()
        filed = await seed(conn, args.trainings, args.providers)
        seeded = time.perf_counter() - t0
        print(f"seeded                  {args.trainings:,} trainings set-based in {seeded:.1f} s"
              f" ({args.providers} providers, 8 courses each; {filed:,} complaints through the trigger)")  # fmt: skip
        t0 = time.perf_counter()
        for table in ("case_trainings", "training_stats", "complaints"):
            await conn.execute(text(f"VACUUM ANALYZE {table}"))
        print(f"VACUUM ANALYZE          {time.perf_counter() - t0:.1f} s")
        size = (await conn.execute(text("SELECT pg_size_pretty(pg_total_relation_size('case_trainings'))"))).scalar()
        stats = (await conn.execute(text("SELECT count(*) FROM training_stats"))).scalar()
        biggest = (
            await conn.execute(
                text("SELECT provider_code, sum(trainings) FROM training_stats GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
            )
        ).one()
        codes = [biggest[0], *(await conn.execute(text("SELECT DISTINCT provider_code FROM training_stats"))).scalars()]
    print(f"read model              case_trainings {size} with indexes; {stats:,} provider-course rows;"
          f" largest provider {biggest[0]} with {int(biggest[1]):,} trainings")  # fmt: skip
    view = PgIntegrity(engine)
    found = await planted_found(view, args.providers)
    missed = sorted(f"{p} {k.value}" for p, k in PLANTED - found)
    print(f"planted patterns        {len(PLANTED) - len(missed)}/{len(PLANTED)} flagged"
          f"{'' if not missed else ' (missed: ' + ', '.join(missed) + ')'}")  # fmt: skip
    await queries(view, codes, per_type=max(2, args.queries // 10), seed_=args.seed)  # warm-up, not reported
    gc.collect()
    gc.freeze()
    t0 = time.perf_counter()
    timings = await queries(view, codes, per_type=args.queries, seed_=args.seed + 1)
    print(f"timed                   {sum(map(len, timings.ms.values())):,} queries in {time.perf_counter() - t0:.1f} s"
          " (one at a time)")  # fmt: skip
    ok = timings.report() and not missed
    print(f"p99 < {TARGET_MS:.0f} ms for every query: {'PASS' if ok else 'FAIL'}")
    await engine.dispose()
    return ok


async def main(args: argparse.Namespace) -> None:
    ok = await on_tuned_postgres("bench-integrity-", SERVER_SETTINGS, lambda url: bench(url, args))
    raise SystemExit(0 if ok or args.smoke else 1)  # a smoke run checks that it runs, not its timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.integrity")
    parser.add_argument("--trainings", type=int, default=1_000_000)
    parser.add_argument("--providers", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200, help="timed queries per query type")
    parser.add_argument("--seed", type=int, default=2023)
    asyncio.run(main(parse(parser, trainings=20_000, providers=40, queries=3)))
