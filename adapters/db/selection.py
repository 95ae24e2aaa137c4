"""Wave selection in PostgreSQL: the rule of ``domain.selection`` run set-based over a whole wave.

The lottery rank is HMAC-SHA256 computed in SQL without pgcrypto:
HMAC(K, m) = sha256((K xor opad) || sha256((K xor ipad) || m)), the two padded keys computed here.
Every row carries ``k`` = (0x00 if in the priority cohort else 0x01) || HMAC bytes, so ordering by
(k, case_id) is the rule's order (priority first, rank ascending, case ID ascending).

Work tables are UNLOGGED tables created inside the transaction (so parallel workers can scan them) and
dropped before it ends; a failed run rolls them back with everything else. The provincial round ranks only
a prefix of each province's order (all priority candidates, then ranks below a bound sized from the
province's counts); a province whose prefix turns out too short is ranked again in full, so the result is
exact. ``verify`` recomputes with the revealed seed into a temporary table and compares row by row.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.scheme import get_scheme
from domain.selection import MAX_PER_KK, SelectionSummary, commitment

ALL = b"\x02"  # bound above every k: rank the whole province
PRIORITY_ONLY = b"\x01"  # bound above the priority cohort only

CAND = r"""CREATE UNLOGGED TABLE {c} AS
SELECT j.case_id COLLATE "C" AS case_id, j.province_code COLLATE "C" AS province_code,
       j.kk_index COLLATE "C" AS kk_index,
       CASE WHEN co.nik_index IS NULL THEN '\x01'::bytea ELSE '\x00'::bytea END
         || sha256(CAST(:okey AS bytea) || sha256(CAST(:ikey AS bytea) || convert_to(j.case_id, 'UTF8'))) AS k,
       (CASE WHEN b.nik_index IS NOT NULL THEN 1 WHEN p.case_id IS NOT NULL THEN 2 ELSE 0 END)::int2 AS excl
FROM wave_joiners j
LEFT JOIN wave_cohorts co ON co.wave_id = j.wave_id AND co.nik_index = j.case_id
LEFT JOIN blacklist b ON b.nik_index = j.case_id AND b.created_at <= :as_of
LEFT JOIN recipients p ON p.case_id = j.case_id AND p.wave_id IS DISTINCT FROM j.wave_id AND p.selected_at <= :as_of
WHERE j.wave_id = :wave_id
ORDER BY j.case_id COLLATE "C"
"""  # physical case_id order: the final insert then fills the results index in order

HOUSEHOLD = r"""CREATE UNLOGGED TABLE {h} AS
WITH prev AS (SELECT kk_index COLLATE "C" AS kk_index, count(*) AS n FROM recipients
              WHERE wave_id IS DISTINCT FROM :wave_id AND selected_at <= :as_of GROUP BY 1),
big AS (SELECT kk_index FROM {c} WHERE excl = 0 GROUP BY kk_index HAVING count(*) > :max_per_kk),
ranked AS (
  SELECT c.case_id, greatest(0, :max_per_kk - coalesce(p.n, 0)) AS slots,
         row_number() OVER (PARTITION BY c.kk_index ORDER BY c.k, c.case_id) AS rn
  FROM {c} c LEFT JOIN prev p ON p.kk_index = c.kk_index
  WHERE c.excl = 0 AND (p.n IS NOT NULL OR c.kk_index IN (SELECT kk_index FROM big)))
SELECT case_id, false AS selected, 'NOT_SELECTED_HOUSEHOLD' AS reason FROM ranked WHERE rn > slots"""

COUNTS = r"""SELECT c.province_code, count(*) AS joined,
       count(*) FILTER (WHERE c.excl = 0 AND h.case_id IS NULL) AS candidates,
       count(*) FILTER (WHERE c.excl = 0 AND h.case_id IS NULL AND c.k < '\x01'::bytea) AS priority
FROM {c} c LEFT JOIN {h} h ON h.case_id = c.case_id GROUP BY c.province_code"""

ROUND = r"""CREATE UNLOGGED TABLE {s} AS
SELECT x.case_id, x.province_code, x.kk_index, true AS selected,
       CASE WHEN x.k < '\x01'::bytea THEN 'SELECTED_PRIORITY' ELSE 'SELECTED_LOTTERY' END AS reason
FROM (SELECT c.case_id, c.province_code, c.kk_index, c.k, t.quota,
             row_number() OVER (PARTITION BY c.province_code ORDER BY c.k, c.case_id) AS rn
      FROM {c} c
      JOIN unnest(CAST(:codes AS text[]), CAST(:quotas AS int[]), CAST(:bounds AS bytea[])) AS t(code, quota, bound)
        ON t.code COLLATE "C" = c.province_code AND c.k < t.bound
      WHERE c.excl = 0 AND NOT EXISTS (SELECT 1 FROM {h} h WHERE h.case_id = c.case_id)) x
WHERE x.rn <= x.quota"""

REDISTRIBUTION = """CREATE UNLOGGED TABLE {r} AS
SELECT c.case_id, c.province_code, c.kk_index, true AS selected, 'SELECTED_REDISTRIBUTION' AS reason FROM {c} c
WHERE c.excl = 0 AND NOT EXISTS (SELECT 1 FROM {h} h WHERE h.case_id = c.case_id)
  AND NOT EXISTS (SELECT 1 FROM {s} s WHERE s.case_id = c.case_id)
ORDER BY c.k, c.case_id LIMIT :pool"""

RESULTS = r"""INSERT INTO {target} (wave_id, case_id, selected, reason, priority, lottery_rank)
SELECT CAST(:wave_id AS text), c.case_id, coalesce(v.selected, false),
       coalesce(v.reason, CASE c.excl WHEN 1 THEN 'NOT_SELECTED_BLACKLISTED'
                                      WHEN 2 THEN 'NOT_SELECTED_ALREADY_RECIPIENT' ELSE 'NOT_SELECTED_QUOTA' END),
       c.k < '\x01'::bytea, encode(substring(c.k FROM 2), 'hex')
FROM {c} c LEFT JOIN (SELECT case_id, selected, reason FROM {s} UNION ALL SELECT case_id, selected, reason FROM {r}
                      UNION ALL SELECT case_id, selected, reason FROM {h}) v ON v.case_id = c.case_id"""

DIGEST = r"""SELECT count(*), encode(sha256(convert_to(
         coalesce(string_agg(case_id, E'\n' ORDER BY case_id COLLATE "C"), ''), 'UTF8')), 'hex')
FROM (SELECT case_id FROM {s} UNION ALL SELECT case_id FROM {r}) v"""

PER_PROVINCE = "SELECT province_code, count(*) FROM (SELECT province_code FROM {s} UNION ALL SELECT province_code FROM {r}) v GROUP BY 1"

RECIPIENTS = """INSERT INTO recipients (case_id, kk_index, scheme_id, wave_id)
SELECT v.case_id, v.kk_index, CAST(:scheme_id AS text), CAST(:wave_id AS text)
FROM (SELECT case_id, kk_index FROM {s} UNION ALL SELECT case_id, kk_index FROM {r}) v
ORDER BY v.case_id ON CONFLICT DO NOTHING"""

TUNING = (
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0.0001",  # the per-row HMAC is far costlier than the planner assumes
    "SET LOCAL synchronize_seqscans = off",  # read the work table from its first (lowest case_id) row
)


@dataclass(frozen=True)
class VerifyReport:
    wave_id: str
    commitment_ok: bool
    recomputed_digest: str
    published_digest: str
    identical: bool
    differences: int


def hmac_pads(seed: str) -> tuple[bytes, bytes]:
    """(K xor ipad, K xor opad) with K the seed's UTF-8 bytes zero-padded to the 64-byte SHA-256 block."""
    key = seed.encode("utf-8")
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def prefix_bound(candidates: int, priority: int, quota: int) -> bytes:
    """An upper bound on k whose prefix of the province's order holds its top ``quota`` with near certainty."""
    if candidates <= quota:
        return ALL
    if priority >= quota:
        return PRIORITY_ONLY
    rest, share = candidates - priority, (quota - priority) / (candidates - priority)
    share += 5 * math.sqrt(share * (1 - share) / rest) + 64 / rest  # five sigma of the binomial, plus slack
    return ALL if share >= 1 else PRIORITY_ONLY + int(share * 2**48).to_bytes(6, "big")


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
    tables: list[str]


class PgSelection:
    def __init__(self, engine: AsyncEngine, *, work_mem: str = "512MB") -> None:
        self._engine = engine
        self._work_mem = work_mem

    async def run(self, wave_id: str, *, max_per_kk: int = MAX_PER_KK) -> SelectionSummary:
        """Select the wave, store one result per joiner, record recipients and publish digest and seed."""
        started = time.perf_counter()
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT w.scheme_id, s.seed, now() FROM waves w JOIN wave_seeds s USING (wave_id)"
                        " WHERE w.wave_id = :w FOR UPDATE OF w"
                    ),
                    {"w": wave_id},
                )
            ).one_or_none()
            if row is None:
                raise LookupError(f"wave {wave_id} has no seed")
            scheme_id, seed, as_of = row
            bypass = "SELECT current_setting('is_superuser') = 'on' OR has_parameter_privilege(current_user, 'session_replication_role', 'SET')"
            if (await conn.execute(text(bypass))).scalar():
                # The wave row is locked above and every result row carries its ID: skip 6M per-row FK checks.
                await conn.execute(text("SET LOCAL session_replication_role = replica"))
            await conn.execute(text("DELETE FROM wave_results WHERE wave_id = :w"), {"w": wave_id})
            await conn.execute(text("DELETE FROM recipients WHERE wave_id = :w"), {"w": wave_id})
            out = await self._compute(conn, wave_id, seed, as_of, max_per_kk, target="wave_results")
            s, r = out.tables[2], out.tables[3]
            await conn.execute(text(RECIPIENTS.format(s=s, r=r)), {"scheme_id": scheme_id, "wave_id": wave_id})
            await conn.execute(
                text(
                    "UPDATE waves SET selected_count = :n, result_digest = :d, revealed_seed = :seed,"
                    " decided_at = :at, status = 'SELECTED' WHERE wave_id = :w"
                ),
                {"n": out.selected, "d": out.digest, "seed": seed, "at": as_of, "w": wave_id},
            )
            await conn.execute(text(f"DROP TABLE {', '.join(out.tables)}"))
        return SelectionSummary(wave_id, out.selected, out.per_province, out.digest, time.perf_counter() - started)

    async def verify(self, wave_id: str, *, max_per_kk: int | None = None) -> VerifyReport:
        """Recompute from the revealed seed and the frozen joiners (as of the decision); compare with the results.

        ``max_per_kk`` defaults to the wave's scheme's household limit.
        """
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT revealed_seed, seed_commitment, result_digest, decided_at, scheme_id FROM waves WHERE wave_id = :w"
                    ),
                    {"w": wave_id},
                )
            ).one_or_none()
            if row is None:
                raise LookupError(f"unknown wave {wave_id}")
            seed, sealed, published, decided_at, scheme_id = row
            if max_per_kk is None:
                max_per_kk = _household_limit(scheme_id)
            if seed is None or decided_at is None:
                return VerifyReport(wave_id, False, "", published or "", False, 0)
            res = f"sel_{secrets.token_hex(6)}_res"
            await conn.execute(text(f"CREATE TEMP TABLE {res} (LIKE wave_results) ON COMMIT DROP"))
            out = await self._compute(conn, wave_id, seed, decided_at, max_per_kk, target=res)
            cols = "case_id, selected, reason, priority, lottery_rank"
            stored = f"SELECT {cols} FROM wave_results WHERE wave_id = :w"
            diff = (
                f"SELECT (SELECT count(*) FROM (SELECT {cols} FROM {res} EXCEPT {stored}) a)"
                f" + (SELECT count(*) FROM ({stored} EXCEPT SELECT {cols} FROM {res}) b)"
            )
            differences = int((await conn.execute(text(diff), {"w": wave_id})).scalar_one())
            await conn.rollback()  # drops the work tables; verify changes nothing
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
        """The whole rule, set-based: results into ``target``; returns the work tables to drop."""
        await conn.execute(text("SELECT set_config('work_mem', :m, true)"), {"m": self._work_mem})
        for stmt in TUNING:
            await conn.execute(text(stmt))
        prefix = f"sel_{secrets.token_hex(6)}"
        c, h, s, r = (f"{prefix}_{name}" for name in ("cand", "cut", "sel", "redis"))
        names = {"c": c, "h": h, "s": s, "r": r, "target": target}
        ikey, okey = hmac_pads(seed)
        base = {"wave_id": wave_id, "as_of": as_of}
        await conn.execute(text(CAND.format(**names)), base | {"ikey": ikey, "okey": okey})
        await conn.execute(text(f"ANALYZE {c}"))
        await conn.execute(text(HOUSEHOLD.format(**names)), base | {"max_per_kk": max_per_kk})
        await conn.execute(text(f"ANALYZE {h}"))
        counts = {
            p: (joined, n, prio) for p, joined, n, prio in (await conn.execute(text(COUNTS.format(**names)))).all()
        }
        quota_rows = await conn.execute(
            text("SELECT province_code, quota FROM wave_quotas WHERE wave_id = :w"), {"w": wave_id}
        )
        quotas = {p: q for p, q in quota_rows.all() if q > 0}
        bounds = {
            p: prefix_bound(counts.get(p, (0, 0, 0))[1], counts.get(p, (0, 0, 0))[2], q) for p, q in quotas.items()
        }
        while True:
            codes = sorted(quotas)
            params = {"codes": codes, "quotas": [quotas[p] for p in codes], "bounds": [bounds[p] for p in codes]}
            await conn.execute(text(ROUND.format(**names)), params)
            taken = dict((await conn.execute(text(f"SELECT province_code, count(*) FROM {s} GROUP BY 1"))).all())
            short = [
                p for p in codes if taken.get(p, 0) < min(quotas[p], counts.get(p, (0, 0, 0))[1]) and bounds[p] != ALL
            ]
            if not short:
                break
            bounds.update(dict.fromkeys(short, ALL))  # prefix too short (a five-sigma event): rank these in full
            await conn.execute(text(f"DROP TABLE {s}"))
        pool = sum(max(0, q - taken.get(p, 0)) for p, q in quotas.items())
        await conn.execute(text(REDISTRIBUTION.format(**names)), {"pool": pool})
        await conn.execute(text(f"ANALYZE {s}, {r}"))
        await conn.execute(text(RESULTS.format(**names)), {"wave_id": wave_id})
        selected, digest = (await conn.execute(text(DIGEST.format(**names)))).one()
        chosen = dict((await conn.execute(text(PER_PROVINCE.format(**names)))).all())
        all_quotas = dict(
            (
                await conn.execute(
                    text("SELECT province_code, quota FROM wave_quotas WHERE wave_id = :w"), {"w": wave_id}
                )
            ).all()
        )
        per_province = {
            p: (counts.get(p, (0, 0, 0))[0], all_quotas.get(p, 0), chosen.get(p, 0))
            for p in sorted(set(counts) | set(all_quotas))
        }
        return _Outcome(int(selected), digest, per_province, [c, h, s, r])
