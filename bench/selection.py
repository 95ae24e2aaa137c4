"""Selection benchmark: a whole wave selected set-based in PostgreSQL, then verified from the revealed seed.

    python -m bench.selection --joiners 6000000 --quota 800000 [--cases] [--what-if]

Starts its own embedded PostgreSQL in a temporary directory, loads synthetic joiners (38 provinces weighted by
population, households sharing a KK, a priority cohort, a blacklist, earlier recipients) with COPY, then times
``PgSelection.run`` and ``PgSelection.verify``; with ``--what-if``, two what-ifs of the decided wave
(``bench/what_if_runs.py``) on the same engine.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import make_url, text

from adapters.db.case_search import search_statement
from adapters.db.engine import make_engine
from adapters.db.funnel import funnel_counts
from adapters.db.migrate import upgrade
from adapters.db.selection import PgSelection
from bench.smoke import parse
from bench.tuned_postgres import tune
from bench.what_if_runs import what_ifs
from devstack.embedded import start_postgres
from domain.case import Stage
from domain.funnel import FunnelQuery, FunnelStep
from domain.ports import CaseFilter
from domain.regions import all_province_codes
from domain.waves.selection import MAX_PER_KK, commitment, split_quota

# Approximate population in millions (2020 census, Papua split per 2022): joiners and quotas follow it.
POPULATION = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0, "19": 1.5,
    "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 40.7, "36": 11.9, "51": 4.3, "52": 5.3,
    "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7, "71": 2.6, "72": 3.0, "73": 9.1,
    "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3, "91": 1.0, "92": 0.55, "93": 0.5, "94": 1.4,
    "95": 1.4, "96": 0.6,
}  # fmt: skip
HOUSEHOLD_SIZES = ((1, 0.58), (2, 0.28), (3, 0.10), (4, 0.04))  # mean 1.6 joiners per KK


@dataclass
class Synthetic:
    joiners: list[tuple[str, str, str]] = field(default_factory=list)  # (case_id, province_code, kk_index)
    cohort: list[str] = field(default_factory=list)
    blacklist: list[str] = field(default_factory=list)
    recipients: list[tuple[str, str]] = field(default_factory=list)  # (case_id, kk_index) of earlier waves
    quotas: dict[str, int] = field(default_factory=dict)


def _blind_indexes(rnd: random.Random) -> Iterator[str]:
    """Endless random 64-hex strings standing in for HMAC blind indexes of NIKs and KKs."""
    while True:
        chunk = rnd.randbytes(32 * 65536).hex()
        yield from (chunk[i : i + 64] for i in range(0, len(chunk), 64))


def generate(n_joiners: int, quota: int, seed: int = 2020) -> Synthetic:
    rnd = random.Random(seed)
    codes = all_province_codes()
    weights = [POPULATION.get(c, 1.0) for c in codes]
    ids = _blind_indexes(rnd)
    data = Synthetic(quotas=split_quota(quota, dict(zip(codes, weights, strict=True))))
    sizes, size_w = zip(*HOUSEHOLD_SIZES, strict=True)
    households = n_joiners  # an upper bound on the KKs needed; drawn in bulk, not per KK
    for size, province, earlier in zip(
        rnd.choices(sizes, size_w, k=households),
        rnd.choices(codes, weights, k=households),
        rnd.choices((0, 1, 2), (0.99, 0.005, 0.005), k=households),  # ~1% of KKs: 1-2 earlier recipients
        strict=True,
    ):
        kk = next(ids)
        members = [next(ids) for _ in range(min(size, n_joiners - len(data.joiners)))]
        data.joiners.extend((case_id, province, kk) for case_id in members)
        for _ in range(earlier):  # a joiner who already received it, or another member of the family
            data.recipients.append((members.pop() if members and rnd.random() < 0.5 else next(ids), kk))
        if len(data.joiners) >= n_joiners:
            break
    case_ids = [j[0] for j in data.joiners]
    data.cohort = rnd.sample(case_ids, n_joiners // 50)
    data.blacklist = rnd.sample(case_ids, n_joiners // 200) + [next(ids) for _ in range(1000)]
    return data


async def load(engine, wave_id: str, data: Synthetic, seed: str, *, cases: bool = False) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO waves (wave_id, number, scheme_id, opens_at, closes_at, status, national_quota,"
                " seed_commitment, created_by, closed_at) VALUES (:w, :n, 'NORMAL_2023', :o, :c, 'CLOSED', :q,"
                " :sc, 'bench', :c)"
            ),
            {"w": wave_id, "n": 1, "o": now - timedelta(days=3), "c": now, "q": sum(data.quotas.values()),
             "sc": commitment(seed)},
        )  # fmt: skip
        await conn.execute(text("INSERT INTO wave_seeds (wave_id, seed) VALUES (:w, :s)"), {"w": wave_id, "s": seed})
        raw = (await conn.get_raw_connection()).driver_connection
        copy = raw.copy_records_to_table
        await copy("wave_quotas", records=[(wave_id, p, q) for p, q in data.quotas.items()])
        await copy("blacklist", records=[(c, "fraud") for c in data.blacklist], columns=["nik_index", "reason"])
        await copy(
            "recipients",
            records=[(c, kk, "SEMI_BANSOS_2020", "G-earlier") for c, kk in data.recipients],
            columns=["case_id", "kk_index", "scheme_id", "wave_id"],
        )
        await copy(
            "wave_cohorts",
            records=[(wave_id, c, "KEMNAKER") for c in data.cohort],
            columns=["wave_id", "nik_index", "cohort"],
        )
        await copy(
            "wave_joiners",
            records=[(wave_id, *j) for j in data.joiners],
            columns=["wave_id", "case_id", "province_code", "kk_index"],
        )
    if cases:
        await load_cases(engine, wave_id)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("wave_joiners", "wave_cohorts", "recipients", "blacklist", "wave_quotas", "cases", "case_waves"):
            await conn.execute(text(f"VACUUM ANALYZE {table}"))
        await conn.execute(text("CHECKPOINT"))  # the load's WAL segments become recyclable


# One case row per joiner, waiting in the wave (stage IN_WAVE, the wave undecided in its history), as in production:
# the selection leaves them untouched and the read paths overlay the results. Personal data is a placeholder: the
# rows are narrower than real ones (no sealed form, no name tokens), the indexes are the real ones.
CASES = """INSERT INTO cases (case_id, account_id, kk_index, workflow_id, scheme_id, stage, province_code, regency_code,
  pii, name_tokens, decisions, next_action, version, applied_at, updated_at, ability_test, waves, trainings, balance,
  payouts)
SELECT j.case_id, 'acct-' || substr(j.case_id, 1, 32), j.kk_index, 'participant-' || j.case_id, 'NORMAL_2023',
  'IN_WAVE', j.province_code, j.province_code || '.01', '\\x00'::bytea, '{}', '[]', 'Wait for the lottery.', 1,
  j.joined_at, j.joined_at, '[]',
  jsonb_build_array(jsonb_build_object('wave_id', j.wave_id, 'joined_at', j.joined_at, 'outcome', NULL,
                                       'reason', NULL, 'decided_at', NULL)), '[]', 0, '{}'
FROM wave_joiners AS j WHERE j.wave_id = :w"""
CASE_WAVES = """INSERT INTO case_waves (wave_id, case_id, province_code, applied_at)
SELECT :w, case_id, province_code, applied_at FROM cases"""


async def load_cases(engine, wave_id: str) -> None:
    """The joiners' case rows (triggers off for the load; their one search table filled in one pass)."""
    async with engine.begin() as conn:
        await conn.execute(text("SET LOCAL session_replication_role = replica"))
        await conn.execute(text(CASES), {"w": wave_id})
        await conn.execute(text(CASE_WAVES), {"w": wave_id})


async def read_paths(engine, wave_id: str, selected: int) -> None:
    """The read paths over the untouched case rows right after the commit: the wave's funnel and staff search pages
    by the stages the results show (the overlay of ``adapters.db.wave_overlay``)."""
    t0 = time.perf_counter()
    counts = (await funnel_counts(engine, FunnelQuery(wave_id=wave_id))).counts
    funnel = time.perf_counter() - t0
    async with engine.connect() as conn:
        stored = dict((await conn.execute(text("SELECT stage, count(*) FROM cases GROUP BY 1"))).all())
    same = "equal" if counts[FunnelStep.SELECTED] == selected else "DIFFERENT"
    print(f"funnel of the wave      {funnel:.1f} s  -> {counts[FunnelStep.JOINED]:,} joined,"
          f" {counts[FunnelStep.SELECTED]:,} selected ({same}); case rows as stored: {stored}")  # fmt: skip
    for label, flt in (
        ("wave + SELECTED", CaseFilter(wave_id=wave_id, stage=Stage.SELECTED)),
        ("province 32 + ELIGIBLE", CaseFilter(province_codes=("32",), stage=Stage.ELIGIBLE)),
        ("SELECTED", CaseFilter(stage=Stage.SELECTED)),
    ):
        t0 = time.perf_counter()
        async with engine.connect() as conn:
            rows = (await conn.execute(search_statement(flt, first=20, after=None))).all()
        shown = {(r.wr_reason or "").startswith("SELECTED") for r in rows}
        print(f"  staff search {label:<22} {1000 * (time.perf_counter() - t0):6.1f} ms, {len(rows)} rows"
              f" (selected: {sorted(shown)})")  # fmt: skip


# A dedicated database server for the job (the embedded default is sized for a laptop).
SERVER_SETTINGS = {
    "shared_buffers": "4GB",
    "wal_buffers": "1GB",  # the 6M-row results insert writes ~2.2 GB of WAL: let the WAL writer keep up
    "min_wal_size": "8GB",  # recycle WAL segments (steady state) instead of creating and zero-filling new ones
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "maintenance_work_mem": "1GB",
}


WORK_MEM = "2GB"
COLLATION = "SELECT datcollate FROM pg_database WHERE datname = current_database()"


async def c_collated_database(url: str) -> str:
    """A database whose default collation is "C": blind indexes (hex) compare bytewise instead of via strcoll."""
    engine = make_engine(url, pool_size=1)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("CREATE DATABASE selection_bench TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"))
    await engine.dispose()
    return make_url(url).set(database="selection_bench").render_as_string(hide_password=False)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-selection-") as tmp:
        pg = start_postgres(Path(tmp) / "pg")
        try:
            await tune(pg.url, SERVER_SETTINGS)
            pg.stop()
            pg.server.start()  # type: ignore[attr-defined]
            url = pg.url if args.server_collation else await c_collated_database(pg.url)
            upgrade(url)
            await bench(url, args)
        finally:
            pg.stop()


async def bench(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url, pool_size=2)
    t0 = time.perf_counter()
    data = generate(args.joiners, args.quota, seed=args.seed)
    generated = time.perf_counter() - t0
    seed = random.Random(args.seed).randbytes(32).hex()
    t0 = time.perf_counter()
    await load(engine, "G-BENCH", data, seed, cases=args.cases)
    loaded = time.perf_counter() - t0
    print(f"generated               {len(data.joiners):,} joiners in {len({j[2] for j in data.joiners}):,} KKs,"
          f" {len(data.cohort):,} priority, {len(data.blacklist):,} blacklisted,"
          f" {len(data.recipients):,} earlier recipients ({generated:.1f} s)")  # fmt: skip
    rows = len(data.joiners) + len(data.cohort) + len(data.blacklist) + len(data.recipients)
    print(f"loaded (COPY + ANALYZE) {rows:,} rows in {loaded:.1f} s")
    async with engine.connect() as conn:
        settings = ", ".join([f"{k}={(await conn.execute(text(f'SHOW {k}'))).scalar()}" for k in SERVER_SETTINGS])
        collation = (await conn.execute(text(COLLATION))).scalar()
    print(f"server                  {settings}; database collation {collation}; selection work_mem={WORK_MEM}")
    selection = PgSelection(engine, work_mem=WORK_MEM)
    print("selection steps:")
    summary = await selection.run("G-BENCH", max_per_kk=MAX_PER_KK)
    async with engine.connect() as conn:
        reasons = dict(
            (
                await conn.execute(
                    text("SELECT reason, count(*) FROM wave_results WHERE wave_id = 'G-BENCH' GROUP BY 1 ORDER BY 1")
                )
            ).all()
        )
    quota = sum(data.quotas.values())
    print(f"selection               {summary.seconds:.1f} s for {len(data.joiners):,} joiners")
    print(f"results visible         {selection.timings['visible']:.1f} s  (the results' commit: every joiner's"
          f" outcome shown by the read paths from then on); cards and credits {selection.timings['cards']:.1f} s"
          " after it")  # fmt: skip
    if args.cases:
        await read_paths(engine, "G-BENCH", summary.selected)
    print(f"selected                {summary.selected:,} of quota {quota:,}"
          f" ({'equal' if summary.selected == quota else 'DIFFERENT'}); digest {summary.digest[:16]}…")  # fmt: skip
    for reason, count in reasons.items():
        print(f"  {reason:<30} {count:>10,}")
    print("verify steps:")
    t0 = time.perf_counter()
    report = await selection.verify("G-BENCH")
    print(f"verify                  {time.perf_counter() - t0:.1f} s  identical={report.identical}"
          f" commitment_ok={report.commitment_ok} differences={report.differences}")  # fmt: skip
    if args.what_if:
        await what_ifs(engine, "G-BENCH", data.quotas, selection_seconds=summary.seconds, work_mem=WORK_MEM)
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.selection")
    parser.add_argument("--joiners", type=int, default=6_000_000)
    parser.add_argument("--quota", type=int, default=800_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--cases", action="store_true", help="a case row per joiner: the selection writes the outcomes into them"
    )
    parser.add_argument("--what-if", action="store_true", help="then two what-ifs of the wave, timed against it")
    parser.add_argument(
        "--server-collation", action="store_true", help="keep the server's default collation (C.UTF-8 via strcoll)"
    )
    logging.basicConfig(format="  %(message)s")
    for name in ("adapters.db.selection", "adapters.db.lottery", "adapters.db.what_if"):
        logging.getLogger(name).setLevel(logging.INFO)
    asyncio.run(main(parse(parser, joiners=20_000, quota=2_000, cases=True, what_if=True)))
