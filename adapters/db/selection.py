"""The wave lottery executed set-wise in PostgreSQL (same rule as ``domain.selection.select``).

HMAC-SHA256 is computed with the builtin ``sha256()`` (no pgcrypto): with the seed zero-padded to the
64-byte block, HMAC(K, m) = sha256((K ^ opad) || sha256((K ^ ipad) || m)).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.scheme import get_scheme
from domain.selection import SelectionSummary, commitment


def hmac_pads(seed: str) -> tuple[bytes, bytes]:
    key = seed.encode()
    if len(key) > 64:
        raise ValueError("seed longer than the SHA-256 block")
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


# Candidates with their flags and lottery rank, then the household cut, the provincial round and the
# national redistribution pool, each a window function over the whole wave.
_VERDICTS = """
CREATE TEMP TABLE {target} ON COMMIT DROP AS
WITH j AS (
  SELECT j.case_id, j.province_code, j.kk_index,
         encode(sha256(:okey || sha256(:ikey || convert_to(j.case_id, 'UTF8'))), 'hex') AS rank,
         EXISTS (SELECT 1 FROM wave_cohorts c WHERE c.wave_id = j.wave_id AND c.nik_index = j.case_id) AS priority,
         EXISTS (SELECT 1 FROM blacklist b WHERE b.nik_index = j.case_id) AS blacklisted,
         EXISTS (SELECT 1 FROM recipients r WHERE r.case_id = j.case_id
                 AND r.wave_id IS DISTINCT FROM j.wave_id) AS recipient
  FROM wave_joiners j WHERE j.wave_id = :wave_id
),
kk AS (
  SELECT r.kk_index, count(*) AS n FROM recipients r
  WHERE r.wave_id IS DISTINCT FROM :wave_id AND r.kk_index IN (SELECT kk_index FROM j)
  GROUP BY r.kk_index
),
c AS (
  SELECT j.*, row_number() OVER (PARTITION BY j.kk_index ORDER BY j.priority DESC, j.rank, j.case_id) AS kk_pos,
         greatest(0, :max_per_kk - coalesce(kk.n, 0)) AS kk_slots
  FROM j LEFT JOIN kk ON kk.kk_index = j.kk_index
  WHERE NOT j.blacklisted AND NOT j.recipient
),
p AS (
  SELECT c.case_id, c.province_code, c.priority, c.rank,
         row_number() OVER (PARTITION BY c.province_code ORDER BY c.priority DESC, c.rank, c.case_id) AS pos,
         coalesce(q.quota, 0) AS quota
  FROM c LEFT JOIN wave_quotas q ON q.wave_id = :wave_id AND q.province_code = c.province_code
  WHERE c.kk_pos <= c.kk_slots
),
pool AS (
  SELECT coalesce(sum(greatest(0, q.quota - coalesce(s.n, 0))), 0) AS n
  FROM wave_quotas q
  LEFT JOIN (SELECT province_code, count(*) AS n FROM p WHERE pos <= quota GROUP BY province_code) s
    ON s.province_code = q.province_code
  WHERE q.wave_id = :wave_id
),
r AS (
  SELECT p.case_id, row_number() OVER (ORDER BY p.priority DESC, p.rank, p.case_id) AS pos
  FROM p WHERE p.pos > p.quota
)
SELECT j.case_id, j.priority, j.rank AS lottery_rank,
  CASE
    WHEN j.blacklisted THEN 'NOT_SELECTED_BLACKLISTED'
    WHEN j.recipient THEN 'NOT_SELECTED_ALREADY_RECIPIENT'
    WHEN c.kk_pos > c.kk_slots THEN 'NOT_SELECTED_HOUSEHOLD'
    WHEN p.pos <= p.quota AND j.priority THEN 'SELECTED_PRIORITY'
    WHEN p.pos <= p.quota THEN 'SELECTED_LOTTERY'
    WHEN r.pos <= (SELECT n FROM pool) THEN 'SELECTED_REDISTRIBUTION'
    ELSE 'NOT_SELECTED_QUOTA'
  END AS reason
FROM j
LEFT JOIN c ON c.case_id = j.case_id
LEFT JOIN p ON p.case_id = j.case_id
LEFT JOIN r ON r.case_id = j.case_id
"""

_DIGEST = """
SELECT count(*) AS selected,
       encode(sha256(convert_to(coalesce(string_agg(case_id, E'\\n' ORDER BY case_id), ''), 'UTF8')), 'hex') AS digest
FROM {table} WHERE {where}
"""


@dataclass(frozen=True, slots=True)
class VerifyReport:
    wave_id: str
    commitment_ok: bool
    recomputed_digest: str | None
    published_digest: str | None
    identical: bool
    differences: int


class PgSelection:
    """Implements ``SelectionEngine``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, wave_id: str, *, max_per_kk: int) -> SelectionSummary:
        started = time.perf_counter()
        async with self._engine.begin() as conn:
            await conn.execute(text("SET LOCAL work_mem = '256MB'"))
            seed = (
                await conn.execute(text("SELECT seed FROM wave_seeds WHERE wave_id = :w"), {"w": wave_id})
            ).scalar_one()
            await self._compute(conn, "verdicts", wave_id, seed, max_per_kk)
            await conn.execute(text("DELETE FROM wave_results WHERE wave_id = :w"), {"w": wave_id})
            await conn.execute(text("DELETE FROM recipients WHERE wave_id = :w"), {"w": wave_id})
            await conn.execute(
                text(
                    "INSERT INTO wave_results (wave_id, case_id, selected, reason, priority, lottery_rank) "
                    "SELECT :w, case_id, reason LIKE 'SELECTED%', reason, priority, lottery_rank FROM verdicts"
                ),
                {"w": wave_id},
            )
            await conn.execute(
                text(
                    "INSERT INTO recipients (case_id, kk_index, scheme_id, wave_id) "
                    "SELECT j.case_id, j.kk_index, w.scheme_id, w.wave_id FROM verdicts v "
                    "JOIN wave_joiners j ON j.wave_id = :w AND j.case_id = v.case_id "
                    "JOIN waves w ON w.wave_id = :w WHERE v.reason LIKE 'SELECTED%' ON CONFLICT DO NOTHING"
                ),
                {"w": wave_id},
            )
            row = (await conn.execute(text(_DIGEST.format(table="verdicts", where="reason LIKE 'SELECTED%'")))).one()
            await conn.execute(
                text(
                    "UPDATE waves SET selected_count = :n, result_digest = :d, revealed_seed = :s, "
                    "decided_at = now(), status = 'SELECTED' WHERE wave_id = :w"
                ),
                {"n": row.selected, "d": row.digest, "s": seed, "w": wave_id},
            )
            per_province = await self._per_province(conn, wave_id)
        return SelectionSummary(wave_id, int(row.selected), per_province, row.digest, time.perf_counter() - started)

    async def verify(self, wave_id: str) -> VerifyReport:
        async with self._engine.begin() as conn:
            wave = (
                await conn.execute(
                    text(
                        "SELECT revealed_seed, seed_commitment, result_digest, scheme_id FROM waves WHERE wave_id = :w"
                    ),
                    {"w": wave_id},
                )
            ).first()
            if wave is None or wave.revealed_seed is None:
                return VerifyReport(wave_id, False, None, wave.result_digest if wave else None, False, 0)
            await conn.execute(text("SET LOCAL work_mem = '256MB'"))
            max_per_kk = get_scheme(wave.scheme_id).max_selected_per_kk
            await self._compute(conn, "recomputed", wave_id, wave.revealed_seed, max_per_kk)
            diff = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM ("
                        " (SELECT case_id, reason FROM recomputed"
                        "  EXCEPT SELECT case_id, reason FROM wave_results WHERE wave_id = :w)"
                        " UNION ALL"
                        " (SELECT case_id, reason FROM wave_results WHERE wave_id = :w"
                        "  EXCEPT SELECT case_id, reason FROM recomputed)"
                        " UNION ALL"
                        " (SELECT case_id, reason FROM wave_results"
                        "  WHERE wave_id = :w AND selected <> (reason LIKE 'SELECTED%'))"
                        ") d"
                    ),
                    {"w": wave_id},
                )
            ).scalar_one()
            row = (await conn.execute(text(_DIGEST.format(table="recomputed", where="reason LIKE 'SELECTED%'")))).one()
        identical = diff == 0 and row.digest == wave.result_digest
        return VerifyReport(
            wave_id,
            commitment(wave.revealed_seed) == wave.seed_commitment,
            row.digest,
            wave.result_digest,
            identical,
            int(diff),
        )

    async def _compute(self, conn: Any, target: str, wave_id: str, seed: str, max_per_kk: int) -> None:
        ikey, okey = hmac_pads(seed)
        params = {"wave_id": wave_id, "ikey": ikey, "okey": okey, "max_per_kk": max_per_kk}
        await conn.execute(text(_VERDICTS.format(target=target)), params)

    async def _per_province(self, conn: Any, wave_id: str) -> dict[str, tuple[int, int, int]]:
        rows = await conn.execute(
            text(
                "SELECT q.province_code, q.quota, "
                " (SELECT count(*) FROM wave_joiners j"
                "   WHERE j.wave_id = q.wave_id AND j.province_code = q.province_code),"
                " (SELECT count(*) FROM wave_results r JOIN wave_joiners j USING (wave_id, case_id)"
                "   WHERE r.wave_id = q.wave_id AND j.province_code = q.province_code AND r.selected)"
                " FROM wave_quotas q WHERE q.wave_id = :w"
            ),
            {"w": wave_id},
        )
        return {r[0]: (int(r[2]), int(r[1]), int(r[3])) for r in rows}
