"""The lottery of ``domain.waves.selection`` run set-based in PostgreSQL: the one engine behind a wave's selection,
its verification and a policy maker's what-if (``compute``; only the rules and where the verdicts go differ).

The lottery rank is HMAC-SHA256 computed in SQL without pgcrypto:
HMAC(K, m) = sha256((K xor opad) || sha256((K xor ipad) || m)), the two padded keys computed here.
Every row carries ``k`` = (0x00 if in the priority cohort else 0x01) || HMAC bytes, so ordering by
(k, case_id) is the rule's order: priority first, rank ascending, case ID ascending.

1. ``cand``: every joiner with ``k`` and a status: 0 candidate, 1 blacklisted, 2 already a recipient, 3 cut by
   the household limit (a window over each KK). One parallel query; the HMAC is most of its cost.
   The blacklist and the earlier recipients are read as of the decision time (``waves.decided_at``), so a
   later verification sees the same inputs even after later waves added recipients.
2. The provincial round ranks only a prefix of each province's order: the priority candidates and the ranks
   below a bound sized from the province's counts. A province whose prefix turns out shorter than its quota
   is ranked again in full, so the result is exact whatever the bound.
3. The redistribution pool takes the first still-unselected candidates nationally (top-N).
4. ``VERDICTS``: every joiner's reason, in case ID order; ``compute`` inserts them into a results table, or a
   caller aggregates them itself (the what-if compares them with the real result without storing them).

Work tables are UNLOGGED tables (parallel workers can scan them, unlike temporary tables) created inside the
caller's transaction; the caller drops them or rolls them back with everything else.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

log = logging.getLogger(__name__)

ALL = b"\x02"  # a bound above every k: rank the whole province
PRIORITY_ONLY = b"\x01"  # a bound above the priority cohort only

PREV = """CREATE UNLOGGED TABLE {p} AS
SELECT kk_index COLLATE "C" AS kk_index, count(*) AS n FROM recipients
WHERE wave_id IS DISTINCT FROM :wave_id AND selected_at <= :as_of GROUP BY kk_index"""

# {cohorts}: empty (every priority cohort of the wave) or a filter on the cohorts that count (``Rules.cohorts``).
CAND = r"""CREATE UNLOGGED TABLE {c} AS
SELECT case_id, province_code, kk_index, k,
       (CASE WHEN excl = 0 AND row_number() OVER (PARTITION BY kk_index, excl ORDER BY k, case_id) > slots
             THEN 3 ELSE excl END)::int2 AS status
FROM (
  SELECT j.case_id COLLATE "C" AS case_id, j.province_code COLLATE "C" AS province_code,
         j.kk_index COLLATE "C" AS kk_index, greatest(0, :max_per_kk - coalesce(kp.n, 0)) AS slots,
         CASE WHEN co.nik_index IS NULL THEN '\x01'::bytea ELSE '\x00'::bytea END
           || sha256(CAST(:okey AS bytea) || sha256(CAST(:ikey AS bytea) || convert_to(j.case_id, 'UTF8'))) AS k,
         CASE WHEN b.nik_index IS NOT NULL THEN 1 WHEN p.case_id IS NOT NULL THEN 2 ELSE 0 END AS excl
  FROM wave_joiners j
  LEFT JOIN wave_cohorts co ON co.wave_id = j.wave_id AND co.nik_index = j.case_id{cohorts}
  LEFT JOIN blacklist b ON b.nik_index = j.case_id AND b.created_at <= :as_of
  LEFT JOIN recipients p ON p.case_id = j.case_id AND p.wave_id IS DISTINCT FROM j.wave_id AND p.selected_at <= :as_of
  LEFT JOIN {p} kp ON kp.kk_index = j.kk_index COLLATE "C"
  WHERE j.wave_id = :wave_id) j"""
SOME_COHORTS = " AND co.cohort = ANY(CAST(:cohorts AS text[]))"

COUNTS = r"""SELECT province_code, count(*), count(*) FILTER (WHERE status = 0),
       count(*) FILTER (WHERE status = 0 AND k < '\x01'::bytea)
FROM {c} GROUP BY province_code"""

ROUND = r"""CREATE UNLOGGED TABLE {s} AS
SELECT case_id, province_code, kk_index, k, rn FROM (
  SELECT c.case_id, c.province_code, c.kk_index, c.k, t.quota,
         row_number() OVER (PARTITION BY c.province_code ORDER BY c.k, c.case_id) AS rn
  FROM {c} c
  JOIN unnest(CAST(:codes AS text[]), CAST(:quotas AS int[]), CAST(:bounds AS bytea[])) AS t(code, quota, bound)
    ON t.code COLLATE "C" = c.province_code AND c.k < t.bound
  WHERE c.status = 0) x
WHERE rn <= quota"""

POOL = """CREATE UNLOGGED TABLE {r} AS
SELECT c.case_id, c.province_code, c.kk_index, c.k FROM {c} c
WHERE c.status = 0 AND NOT EXISTS (SELECT 1 FROM {s} s WHERE s.case_id = c.case_id)
ORDER BY c.k, c.case_id LIMIT :pool"""

# Sorted first (narrow rows), labelled after. A candidate is selected in the provincial round iff it is not
# after its province's last selected one, and by redistribution iff not after the pool's last one.
VERDICTS = r"""SELECT c.case_id, c.province_code, c.k,
             CASE c.status WHEN 1 THEN 'NOT_SELECTED_BLACKLISTED' WHEN 2 THEN 'NOT_SELECTED_ALREADY_RECIPIENT'
                           WHEN 3 THEN 'NOT_SELECTED_HOUSEHOLD'
             ELSE CASE WHEN (c.k, c.case_id) <= (t.k, t.case_id)
                       THEN CASE WHEN c.k < '\x01'::bytea THEN 'SELECTED_PRIORITY' ELSE 'SELECTED_LOTTERY' END
                       WHEN (c.k, c.case_id) <= (SELECT k, case_id FROM {r} ORDER BY k DESC, case_id DESC LIMIT 1)
                       THEN 'SELECTED_REDISTRIBUTION' ELSE 'NOT_SELECTED_QUOTA' END END AS reason
      FROM (SELECT case_id, province_code, k, status FROM {c} ORDER BY case_id OFFSET 0) c
      LEFT JOIN (SELECT province_code, k, case_id FROM {s}
                 WHERE (province_code, rn) IN (SELECT province_code, max(rn) FROM {s} GROUP BY 1)) t
        ON t.province_code = c.province_code"""
RESULTS = r"""INSERT INTO {target} (wave_id, case_id, selected, reason, priority, lottery_rank)
SELECT CAST(:wave_id AS text), case_id, reason LIKE 'SELECTED%', reason, k < '\x01'::bytea,
       encode(substring(k FROM 2), 'hex')
FROM ({verdicts}
      OFFSET 0) x"""

CHOSEN = "SELECT case_id, province_code, kk_index FROM {s} UNION ALL SELECT case_id, province_code, kk_index FROM {r}"
DIGEST = r"""SELECT count(*), encode(sha256(convert_to(coalesce(string_agg(case_id, E'\n' ORDER BY case_id), ''),
       'UTF8')), 'hex') FROM ({chosen}) v"""
PER_PROVINCE = "SELECT province_code, count(*) FROM ({chosen}) v GROUP BY province_code"
TAKEN = "SELECT province_code, count(*) FROM {s} GROUP BY province_code"
QUOTAS = "SELECT province_code, quota FROM wave_quotas WHERE wave_id = :w"
TUNING = (
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0.0001",  # the per-row HMAC costs far more than the planner assumes
    "SET LOCAL synchronize_seqscans = off",
)


@dataclass(frozen=True)
class Rules:
    """What a run of the lottery applies besides the frozen joiners, the seed and the records as of a time."""

    max_per_kk: int
    """The household limit: places per family card (KK), its earlier recipients included."""
    quotas: dict[str, int] | None = None
    """Places per province; ``None``: the wave's own (``wave_quotas``)."""
    cohorts: tuple[str, ...] | None = None
    """The wave's priority cohorts that count; ``None``: all of them, ``()``: none."""


@dataclass
class Outcome:
    selected: int
    digest: str
    per_province: dict[str, tuple[int, int, int]]
    """province -> (joined, quota, selected)"""
    tables: dict[str, str]
    """The work tables (``p``, ``c``, ``s``, ``r``): the caller drops them or rolls them back."""


def hmac_pads(seed: str) -> tuple[bytes, bytes]:
    """(K xor ipad, K xor opad), K being the seed's UTF-8 bytes zero-padded to the 64-byte SHA-256 block."""
    key = seed.encode("utf-8")
    if len(key) > 64:
        key = hashlib.sha256(key).digest()  # RFC 2104 for long keys
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def prefix_bound(candidates: int, priority: int, quota: int) -> bytes:
    """A bound on k whose prefix of a province's order almost surely holds its first ``quota`` candidates."""
    if candidates <= quota:
        return ALL
    if priority >= quota:
        return PRIORITY_ONLY
    rest = candidates - priority
    share = (quota - priority) / rest  # ranks are uniform: the share of the rest needed, plus 5 sigma and slack
    share += 5 * math.sqrt(share * (1 - share) / rest) + 64 / rest
    return ALL if share >= 1 else PRIORITY_ONLY + int(share * 2**48).to_bytes(6, "big")


async def timed(conn: AsyncConnection, step: str, sql: str, params: dict | None = None):
    started = time.perf_counter()
    result = await conn.execute(text(sql), params or {})
    log.info("%-11s %6.1f s", step, time.perf_counter() - started)
    return result


async def compute(
    conn: AsyncConnection,
    wave_id: str,
    seed: str,
    as_of: datetime,
    rules: Rules,
    *,
    target: str | None,
    work_mem: str,
) -> Outcome:
    """The whole rule, set-based; every joiner's verdict inserted into ``target`` unless it is ``None``."""
    await conn.execute(text("SELECT set_config('work_mem', :m, true)"), {"m": work_mem})
    for stmt in TUNING:
        await conn.execute(text(stmt))
    prefix = f"sel_{secrets.token_hex(6)}"
    tables = {"p": f"{prefix}_prev", "c": f"{prefix}_cand", "s": f"{prefix}_sel", "r": f"{prefix}_pool"}
    ikey, okey = hmac_pads(seed)
    params = {"wave_id": wave_id, "as_of": as_of, "max_per_kk": rules.max_per_kk, "ikey": ikey, "okey": okey}
    cohorts = ""
    if rules.cohorts is not None:
        cohorts, params["cohorts"] = SOME_COHORTS, list(rules.cohorts)
    await conn.execute(text(PREV.format(**tables)), params)
    await conn.execute(text("ANALYZE {p}".format(**tables)))
    await timed(conn, "candidates", CAND.format(cohorts=cohorts, **tables), params)
    await conn.execute(text("ANALYZE {c}".format(**tables)))
    counts = {p: (joined, n, prio) for p, joined, n, prio in await timed(conn, "counts", COUNTS.format(**tables))}
    if rules.quotas is None:
        all_quotas = dict((await conn.execute(text(QUOTAS), {"w": wave_id})).all())
    else:
        all_quotas = dict(rules.quotas)
    quotas = {p: q for p, q in sorted(all_quotas.items()) if q > 0}
    bounds = {p: prefix_bound(*counts.get(p, (0, 0, 0))[1:], q) for p, q in quotas.items()}
    while True:
        ranked = {"codes": list(quotas), "quotas": list(quotas.values()), "bounds": list(bounds.values())}
        await timed(conn, "provinces", ROUND.format(**tables), ranked)
        taken = dict((await conn.execute(text(TAKEN.format(**tables)))).all())
        short = [p for p, q in quotas.items() if taken.get(p, 0) < min(q, counts.get(p, (0, 0))[1])]
        if not short:
            break
        bounds.update(dict.fromkeys(short, ALL))  # a prefix too short (beyond five sigma): rank in full
        await conn.execute(text("DROP TABLE {s}".format(**tables)))
    pool = sum(max(0, q - taken.get(p, 0)) for p, q in quotas.items())
    await timed(conn, "pool", POOL.format(**tables), {"pool": pool})
    await conn.execute(text("ANALYZE {s}, {r}".format(**tables)))
    if target is not None:
        results = RESULTS.format(target=target, verdicts=VERDICTS.format(**tables))
        await timed(conn, "results", results, {"wave_id": wave_id})
    selected, digest = (await timed(conn, "digest", DIGEST.format(chosen=CHOSEN.format(**tables)))).one()
    chosen = dict((await conn.execute(text(PER_PROVINCE.format(chosen=CHOSEN.format(**tables))))).all())
    per_province = {
        p: (counts.get(p, (0,))[0], all_quotas.get(p, 0), chosen.get(p, 0))
        for p in sorted(set(counts) | set(all_quotas))
    }
    return Outcome(int(selected), digest, per_province, tables)
