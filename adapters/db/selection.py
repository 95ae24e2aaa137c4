"""Wave selection in PostgreSQL: the rule of ``domain.selection`` run set-based over a whole wave.

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
4. One result row per joiner, inserted in case ID order (the order of the results' primary key).
5. Published with the wave in one commit (visible from then on: ``adapters.db.wave_overlay``); then each selected
   one gets a card and its credit in a second transaction (``adapters.db.bulk_enrolment``).

Work tables are UNLOGGED (parallel workers can scan them, unlike temporary tables), created and dropped inside the
transaction. ``verify`` recomputes with the revealed seed into a temporary table and compares both ways (EXCEPT).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.bulk_enrolment import issue_cards
from adapters.db.selection_sql import (
    COLUMNS,
    COMPARE,
    DECIDED,
    LOCK,
    MAY_SKIP_TRIGGERS,
    PUBLISH,
    PUBLISHED,
    QUOTAS,
    STORED,
    TUNING,
    published_summary,
)
from adapters.db.unavailable import unavailable_on_db_loss
from domain.scheme import get_scheme
from domain.waves.selection import MAX_PER_KK, SelectionSummary, commitment

log = logging.getLogger(__name__)

ALL = b"\x02"  # a bound above every k: rank the whole province
PRIORITY_ONLY = b"\x01"  # a bound above the priority cohort only

PREV = """CREATE UNLOGGED TABLE {p} AS
SELECT kk_index COLLATE "C" AS kk_index, count(*) AS n FROM recipients
WHERE wave_id IS DISTINCT FROM :wave_id AND selected_at <= :as_of GROUP BY kk_index"""

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
  LEFT JOIN wave_cohorts co ON co.wave_id = j.wave_id AND co.nik_index = j.case_id
  LEFT JOIN blacklist b ON b.nik_index = j.case_id AND b.created_at <= :as_of
  LEFT JOIN recipients p ON p.case_id = j.case_id AND p.wave_id IS DISTINCT FROM j.wave_id AND p.selected_at <= :as_of
  LEFT JOIN {p} kp ON kp.kk_index = j.kk_index COLLATE "C"
  WHERE j.wave_id = :wave_id) j"""

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
RESULTS = r"""INSERT INTO {target} (wave_id, case_id, selected, reason, priority, lottery_rank)
SELECT CAST(:wave_id AS text), case_id, reason LIKE 'SELECTED%', reason, k < '\x01'::bytea,
       encode(substring(k FROM 2), 'hex')
FROM (SELECT c.case_id, c.k,
             CASE c.status WHEN 1 THEN 'NOT_SELECTED_BLACKLISTED' WHEN 2 THEN 'NOT_SELECTED_ALREADY_RECIPIENT'
                           WHEN 3 THEN 'NOT_SELECTED_HOUSEHOLD'
             ELSE CASE WHEN (c.k, c.case_id) <= (t.k, t.case_id)
                       THEN CASE WHEN c.k < '\x01'::bytea THEN 'SELECTED_PRIORITY' ELSE 'SELECTED_LOTTERY' END
                       WHEN (c.k, c.case_id) <= (SELECT k, case_id FROM {r} ORDER BY k DESC, case_id DESC LIMIT 1)
                       THEN 'SELECTED_REDISTRIBUTION' ELSE 'NOT_SELECTED_QUOTA' END END AS reason
      FROM (SELECT case_id, province_code, k, status FROM {c} ORDER BY case_id OFFSET 0) c
      LEFT JOIN (SELECT province_code, k, case_id FROM {s}
                 WHERE (province_code, rn) IN (SELECT province_code, max(rn) FROM {s} GROUP BY 1)) t
        ON t.province_code = c.province_code
      OFFSET 0) x"""

CHOSEN = "SELECT case_id, province_code, kk_index FROM {s} UNION ALL SELECT case_id, province_code, kk_index FROM {r}"
DIGEST = r"""SELECT count(*), encode(sha256(convert_to(coalesce(string_agg(case_id, E'\n' ORDER BY case_id), ''),
       'UTF8')), 'hex') FROM ({chosen}) v"""
PER_PROVINCE = "SELECT province_code, count(*) FROM ({chosen}) v GROUP BY province_code"
TAKEN = "SELECT province_code, count(*) FROM {s} GROUP BY province_code"
# An anti-join rather than ON CONFLICT DO NOTHING (same rows, no speculative insertion: 40% cheaper here).
# Only a recipient committed concurrently by another wave could still conflict: the run then fails and is retried.
RECIPIENTS = """INSERT INTO recipients (case_id, kk_index, scheme_id, wave_id)
SELECT case_id, kk_index, CAST(:scheme_id AS text), CAST(:wave_id AS text) FROM ({chosen}) v
WHERE NOT EXISTS (SELECT 1 FROM recipients r WHERE r.case_id = v.case_id)
ORDER BY case_id"""


@dataclass(frozen=True)
class VerifyReport:
    wave_id: str
    commitment_ok: bool
    recomputed_digest: str
    published_digest: str
    identical: bool
    differences: int


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


async def _timed(conn: AsyncConnection, step: str, sql: str, params: dict | None = None):
    started = time.perf_counter()
    result = await conn.execute(text(sql), params or {})
    log.info("%-11s %6.1f s", step, time.perf_counter() - started)
    return result


def _household_limit(scheme_id: str) -> int:
    try:
        return get_scheme(scheme_id).max_selected_per_kk
    except KeyError:
        return MAX_PER_KK


@dataclass
class _Outcome:
    selected: int
    digest: str
    per_province: dict[str, tuple[int, int, int]]
    tables: dict[str, str]


class PgSelection:
    """Implements ``SelectionEngine``; ``work_mem`` is per sort or hash of the selection's queries."""

    def __init__(self, engine: AsyncEngine, *, work_mem: str = "2GB") -> None:
        self._engine = engine
        self._work_mem = work_mem
        self.timings: dict[str, float] = {}
        """The last run's seconds to its results' commit (``visible``) and to issue its cards (``cards``)."""

    async def run(self, wave_id: str, *, max_per_kk: int) -> SelectionSummary:
        """Every joiner's verdict, the recipients, the digest and the revealed seed in one transaction (the results
        are visible at its commit), then the cards and credits in a second one. A wave already published (a retry
        after the first commit) is not selected again: only its cards are completed."""
        started = time.perf_counter()
        async with self._engine.connect() as conn:
            published = await published_summary(conn, wave_id)
        summary = published or await self._select(wave_id, max_per_kk, started)
        self.timings["visible"] = time.perf_counter() - started
        started_cards = time.perf_counter()
        async with self._engine.begin() as conn:
            decided_at = (await conn.execute(text(DECIDED), {"w": wave_id})).one().decided_at
            cards = await issue_cards(conn, wave_id, decided_at)  # enrolment in bulk: the woken record theirs
        self.timings["cards"] = time.perf_counter() - started_cards
        log.info("%-11s %6.1f s (%d cards)", "cards", self.timings["cards"], cards)
        return dataclasses.replace(summary, seconds=time.perf_counter() - started)

    async def _select(self, wave_id: str, max_per_kk: int, started: float) -> SelectionSummary:
        async with self._engine.begin() as conn:
            row = (await conn.execute(text(LOCK), {"w": wave_id})).one_or_none()
            if row is None:
                raise LookupError(f"wave {wave_id} has no seed")
            scheme_id, seed, as_of = row
            if (await conn.execute(text(MAY_SKIP_TRIGGERS))).scalar():
                # The wave row is locked and every result row carries its ID: skip millions of per-row FK checks.
                await conn.execute(text("SET LOCAL session_replication_role = replica"))
            await _timed(conn, "delete", "DELETE FROM wave_results WHERE wave_id = :w", {"w": wave_id})
            await conn.execute(text("DELETE FROM recipients WHERE wave_id = :w"), {"w": wave_id})
            out = await self._compute(conn, wave_id, seed, as_of, max_per_kk, target="wave_results")
            chosen = CHOSEN.format(**out.tables)
            await _timed(
                conn, "recipients", RECIPIENTS.format(chosen=chosen), {"scheme_id": scheme_id, "wave_id": wave_id}
            )
            params = {"n": out.selected, "d": out.digest, "seed": seed, "at": as_of, "w": wave_id}
            await conn.execute(text(PUBLISH), params)
            await conn.execute(text("DROP TABLE {p}, {c}, {s}, {r}".format(**out.tables)))
        log.info("%-11s %6.1f s (every joiner's result visible)", "committed", time.perf_counter() - started)
        return SelectionSummary(wave_id, out.selected, out.per_province, out.digest, time.perf_counter() - started)

    @unavailable_on_db_loss
    async def verify(self, wave_id: str, *, max_per_kk: int | None = None) -> VerifyReport:
        """Recompute from the revealed seed, the frozen joiners and the records as of the decision; compare.

        ``max_per_kk`` defaults to the household limit of the wave's scheme.
        """
        async with self._engine.connect() as conn:
            row = (await conn.execute(text(PUBLISHED), {"w": wave_id})).one_or_none()
            if row is None:
                raise LookupError(f"unknown wave {wave_id}")
            seed, sealed, published, decided_at, scheme_id = row
            if seed is None or decided_at is None:
                return VerifyReport(wave_id, False, "", published or "", False, 0)
            limit = _household_limit(scheme_id) if max_per_kk is None else max_per_kk
            res = f"sel_{secrets.token_hex(6)}_res"
            await conn.execute(text(f"CREATE TEMP TABLE {res} (LIKE wave_results) ON COMMIT DROP"))
            out = await self._compute(conn, wave_id, seed, decided_at, limit, target=res)
            compare = COMPARE.format(cols=COLUMNS, res=res, stored=STORED.format(cols=COLUMNS))
            differences = int((await _timed(conn, "compare", compare, {"w": wave_id})).scalar_one())
            await conn.rollback()  # verification changes nothing: the work tables go with the transaction
        return VerifyReport(
            wave_id=wave_id,
            commitment_ok=sealed is not None and commitment(seed) == sealed,
            recomputed_digest=out.digest,
            published_digest=published or "",
            identical=differences == 0 and out.digest == published,
            differences=differences,
        )

    async def _compute(
        self, conn: AsyncConnection, wave_id: str, seed: str, as_of: datetime, max_per_kk: int, *, target: str
    ) -> _Outcome:
        """The whole rule, set-based, with the results inserted into ``target``."""
        await conn.execute(text("SELECT set_config('work_mem', :m, true)"), {"m": self._work_mem})
        for stmt in TUNING:
            await conn.execute(text(stmt))
        prefix = f"sel_{secrets.token_hex(6)}"
        tables = {"p": f"{prefix}_prev", "c": f"{prefix}_cand", "s": f"{prefix}_sel", "r": f"{prefix}_pool"}
        ikey, okey = hmac_pads(seed)
        params = {"wave_id": wave_id, "as_of": as_of, "max_per_kk": max_per_kk, "ikey": ikey, "okey": okey}
        await conn.execute(text(PREV.format(**tables)), params)
        await conn.execute(text("ANALYZE {p}".format(**tables)))
        await _timed(conn, "candidates", CAND.format(**tables), params)
        await conn.execute(text("ANALYZE {c}".format(**tables)))
        counts = {p: (joined, n, prio) for p, joined, n, prio in await _timed(conn, "counts", COUNTS.format(**tables))}
        all_quotas = dict((await conn.execute(text(QUOTAS), {"w": wave_id})).all())
        quotas = {p: q for p, q in sorted(all_quotas.items()) if q > 0}
        bounds = {p: prefix_bound(*counts.get(p, (0, 0, 0))[1:], q) for p, q in quotas.items()}
        while True:
            ranked = {"codes": list(quotas), "quotas": list(quotas.values()), "bounds": list(bounds.values())}
            await _timed(conn, "provinces", ROUND.format(**tables), ranked)
            taken = dict((await conn.execute(text(TAKEN.format(**tables)))).all())
            short = [p for p, q in quotas.items() if taken.get(p, 0) < min(q, counts.get(p, (0, 0))[1])]
            if not short:
                break
            bounds.update(dict.fromkeys(short, ALL))  # a prefix too short (beyond five sigma): rank in full
            await conn.execute(text("DROP TABLE {s}".format(**tables)))
        pool = sum(max(0, q - taken.get(p, 0)) for p, q in quotas.items())
        await _timed(conn, "pool", POOL.format(**tables), {"pool": pool})
        await conn.execute(text("ANALYZE {s}, {r}".format(**tables)))
        await _timed(conn, "results", RESULTS.format(target=target, **tables), {"wave_id": wave_id})
        selected, digest = (await _timed(conn, "digest", DIGEST.format(chosen=CHOSEN.format(**tables)))).one()
        chosen = dict((await conn.execute(text(PER_PROVINCE.format(chosen=CHOSEN.format(**tables))))).all())
        per_province = {
            p: (counts.get(p, (0,))[0], all_quotas.get(p, 0), chosen.get(p, 0))
            for p in sorted(set(counts) | set(all_quotas))
        }
        return _Outcome(int(selected), digest, per_province, tables)
