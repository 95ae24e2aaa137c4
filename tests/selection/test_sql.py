"""The set-based SQL selection against the pure reference, on a real (embedded) PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update

import adapters.db.lottery as lottery
from adapters.db.lottery import hmac_pads
from adapters.db.selection import PgSelection
from adapters.db.tables import (
    blacklist,
    recipients,
    wave_cohorts,
    wave_joiners,
    wave_quotas,
    wave_results,
    wave_seeds,
    waves,
)
from domain.waves.selection import Joiner, SelectionInput, commitment, digest
from domain.waves.selection import select as reference

PROVINCES = ["11", "12", "31", "32", "33", "35", "51", "64", "91", "94"]


@dataclass
class Wave:
    wave_id: str
    inp: SelectionInput

    def expected(self) -> dict[str, tuple[bool, str, bool, str]]:
        return {c: (v.selected, v.reason, v.priority, v.rank) for c, v in reference(self.inp).items()}


def blind(rnd: random.Random) -> str:
    return rnd.randbytes(32).hex()


async def insert(conn, table, rows: list[dict]) -> None:
    if rows:
        await conn.execute(table.insert(), rows)


async def make_wave(engine, rnd: random.Random, size: int = 3000) -> Wave:
    """A closed wave in the database (households, priority cohort, blacklist, earlier recipients)."""
    wave_id, seed = f"G-t{rnd.getrandbits(48):012x}", rnd.randbytes(32).hex()
    joiners: list[Joiner] = []
    earlier: list[tuple[str, str]] = []  # (case_id, kk_index) selected in other waves
    weights = [rnd.uniform(0.2, 3) for _ in PROVINCES]
    while len(joiners) < size:
        kk, province = blind(rnd), rnd.choices(PROVINCES, weights)[0]
        members = [Joiner(blind(rnd), province, kk) for _ in range(rnd.choice((1, 1, 1, 2, 2, 3, 4)))]
        joiners += members
        if rnd.random() < 0.05:  # 1-2 earlier recipients: a joiner who already received it, or another member
            family = [members[0].case_id] if rnd.random() < 0.3 else []
            earlier += [(c, kk) for c in [*family, blind(rnd), blind(rnd)][: rnd.randint(1, 2)]]
    joined = Counter(j.province_code for j in joiners)
    quotas = {p: int(joined[p] * rnd.uniform(0.05, 0.5)) for p in PROVINCES[1:-1]}  # "94" has no quota
    quotas["11"] = joined["11"] + rnd.randint(5, 40)  # under-subscribed: the rest goes to the national pool
    ids = [j.case_id for j in joiners]
    priority, banned = frozenset(rnd.sample(ids, size // 20)), frozenset(rnd.sample(ids, size // 100))
    now = datetime.now(UTC)
    wave = {
        "wave_id": wave_id,
        "number": rnd.randrange(10**8, 2**31 - 1),
        "scheme_id": "NORMAL_2023",
        "opens_at": now - timedelta(days=3),
        "closes_at": now - timedelta(hours=1),
        "status": "CLOSED",
        "national_quota": sum(quotas.values()),
        "seed_commitment": commitment(seed),
        "created_by": "test",
        "created_at": now,
    }
    async with engine.begin() as conn:
        await conn.execute(waves.insert(), [wave])
        await conn.execute(wave_seeds.insert(), [{"wave_id": wave_id, "seed": seed}])
        await conn.execute(
            wave_quotas.insert(), [{"wave_id": wave_id, "province_code": p, "quota": q} for p, q in quotas.items()]
        )
        await conn.execute(
            wave_cohorts.insert(), [{"wave_id": wave_id, "nik_index": c, "cohort": "KEMNAKER"} for c in priority]
        )
        await conn.execute(
            wave_joiners.insert(),
            [
                {
                    "wave_id": wave_id,
                    "case_id": j.case_id,
                    "province_code": j.province_code,
                    "kk_index": j.kk_index,
                    "joined_at": now,
                }
                for j in joiners
            ],
        )
        await insert(conn, blacklist, [{"nik_index": c, "reason": "fraud", "created_at": now} for c in banned])
        await insert(
            conn,
            recipients,
            [
                {
                    "case_id": c,
                    "kk_index": kk,
                    "scheme_id": "SEMI_BANSOS_2020",
                    "wave_id": f"G-old{i % 3}",
                    "selected_at": now,
                }
                for i, (c, kk) in enumerate(earlier)
            ],
        )
    inp = SelectionInput(
        seed=seed,
        joiners=tuple(joiners),
        quotas=quotas,
        priority=priority,
        blacklisted=banned,
        recipients=frozenset(c for c, _ in earlier),
        kk_recipients=dict(Counter(kk for _, kk in earlier)),
        max_per_kk=2,
    )
    return Wave(wave_id, inp)


async def stored(engine, wave_id: str) -> dict[str, tuple[bool, str, bool, str]]:
    r = wave_results.c
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(r.case_id, r.selected, r.reason, r.priority, r.lottery_rank).where(r.wave_id == wave_id)
        )
        return {row[0]: tuple(row[1:]) for row in rows}


async def test_hmac_in_sql_equals_python_hmac(engine):
    seeds = ["", "k", "5eed" * 16, "kunci rahasia ✓", "x" * 64, "y" * 65]  # the last is hashed first (RFC 2104)
    messages = ["", "3201011508950001", "a" * 200, "naïve ☕"]
    async with engine.connect() as conn:
        for seed in seeds:
            ikey, okey = hmac_pads(seed)
            for m in messages:
                got = await conn.execute(
                    text(
                        "SELECT encode(sha256(CAST(:o AS bytea) || sha256(CAST(:i AS bytea) || convert_to(:m, 'UTF8'))), 'hex')"
                    ),
                    {"o": okey, "i": ikey, "m": m},
                )
                assert got.scalar_one() == hmac.new(seed.encode(), m.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("seed", [11, 12, 13])
async def test_sql_selection_equals_the_reference(engine, seed):
    wave = await make_wave(engine, random.Random(seed))
    summary = await PgSelection(engine).run(wave.wave_id, max_per_kk=2)
    want = wave.expected()
    assert await stored(engine, wave.wave_id) == want
    chosen = [c for c, v in want.items() if v[0]]
    reasons = Counter(v[1] for v in want.values())
    assert reasons["SELECTED_REDISTRIBUTION"] > 0 and reasons["NOT_SELECTED_HOUSEHOLD"] > 0  # the data exercise it all
    assert reasons["NOT_SELECTED_ALREADY_RECIPIENT"] > 0 and reasons["SELECTED_PRIORITY"] > 0
    assert summary.selected == len(chosen) and summary.digest == digest(chosen)
    assert sum(s for _, _, s in summary.per_province.values()) == len(chosen)
    assert summary.per_province["11"][0] == sum(j.province_code == "11" for j in wave.inp.joiners)
    async with engine.connect() as conn:
        row = (await conn.execute(select(waves).where(waves.c.wave_id == wave.wave_id))).one()
    assert (row.status, row.selected_count, row.result_digest) == ("SELECTED", len(chosen), summary.digest)
    assert row.revealed_seed == wave.inp.seed and row.decided_at is not None


async def test_an_unlucky_prefix_falls_back_to_ranking_the_whole_province(engine, monkeypatch):
    wave = await make_wave(engine, random.Random(21), size=1500)
    monkeypatch.setattr(lottery, "prefix_bound", lambda n, prio, quota: lottery.PRIORITY_ONLY + bytes(6))
    await PgSelection(engine).run(wave.wave_id, max_per_kk=2)
    assert await stored(engine, wave.wave_id) == wave.expected()


async def test_rerun_is_idempotent_and_selected_joiners_become_recipients(engine):
    wave = await make_wave(engine, random.Random(31), size=2000)
    selection = PgSelection(engine)
    first = await selection.run(wave.wave_id, max_per_kk=2)
    results = await stored(engine, wave.wave_id)
    second = await selection.run(wave.wave_id, max_per_kk=2)
    assert await stored(engine, wave.wave_id) == results and second.digest == first.digest
    assert second.per_province == first.per_province
    async with engine.connect() as conn:
        rows = (await conn.execute(select(recipients).where(recipients.c.wave_id == wave.wave_id))).all()
    kk_of = {j.case_id: j.kk_index for j in wave.inp.joiners}
    assert {r.case_id for r in rows} == {c for c, v in results.items() if v[0]}
    assert all(r.kk_index == kk_of[r.case_id] and r.scheme_id == "NORMAL_2023" for r in rows)


async def test_verify_recomputes_and_catches_tampering(engine):
    wave = await make_wave(engine, random.Random(41), size=2000)
    selection = PgSelection(engine)
    summary = await selection.run(wave.wave_id, max_per_kk=2)
    report = await selection.verify(wave.wave_id)
    assert report.identical and report.commitment_ok and report.differences == 0
    assert report.recomputed_digest == report.published_digest == summary.digest

    await make_wave(engine, random.Random(42), size=300)  # later records (other waves) do not disturb it
    loser = next(c for c, v in (await stored(engine, wave.wave_id)).items() if v[1] == "NOT_SELECTED_QUOTA")
    where = (wave_results.c.wave_id == wave.wave_id) & (wave_results.c.case_id == loser)
    async with engine.begin() as conn:
        await conn.execute(update(wave_results).where(where).values(selected=True, reason="SELECTED_LOTTERY"))
    tampered = await selection.verify(wave.wave_id)
    assert not tampered.identical and tampered.differences == 2 and tampered.commitment_ok

    async with engine.begin() as conn:
        await conn.execute(update(wave_results).where(where).values(selected=False, reason="NOT_SELECTED_QUOTA"))
        await conn.execute(update(waves).where(waves.c.wave_id == wave.wave_id).values(revealed_seed="0" * 64))
    other_seed = await selection.verify(wave.wave_id)
    assert not other_seed.commitment_ok and not other_seed.identical and other_seed.differences > 0


async def test_verify_before_the_seed_is_revealed(engine):
    wave = await make_wave(engine, random.Random(51), size=50)
    report = await PgSelection(engine).verify(wave.wave_id)
    assert not report.identical and not report.commitment_ok
    async with engine.connect() as conn:
        count = await conn.execute(
            select(func.count()).select_from(wave_results).where(wave_results.c.wave_id == wave.wave_id)
        )
    assert count.scalar_one() == 0
