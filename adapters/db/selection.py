"""Wave selection in PostgreSQL: the lottery of ``adapters.db.lottery`` run over a whole wave, and what follows it.

1. The lottery (``lottery.compute``) with the wave's own quotas, cohorts and household limit; one result row per
   joiner, inserted in case ID order (the order of the results' primary key).
2. The selected become recipients; the digest and the revealed seed are published.
3. Each joiner still waiting in the wave gets its outcome in its case row (``adapters.db.wave_announce``), and
   each selected one a card and its credit (``adapters.db.bulk_enrolment``).

Everything runs in one transaction; a failed run rolls back with its work tables. ``verify`` recomputes with the
revealed seed into a temporary table and compares both ways with EXCEPT.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.bulk_enrolment import issue_cards
from adapters.db.lottery import CHOSEN, Outcome, Rules, compute
from adapters.db.lottery import timed as _timed
from adapters.db.unavailable import unavailable_on_db_loss
from adapters.db.wave_announce import write_outcomes
from domain.scheme import get_scheme
from domain.waves.selection import MAX_PER_KK, SelectionSummary, commitment

log = logging.getLogger(__name__)

# An anti-join rather than ON CONFLICT DO NOTHING (same rows, no speculative insertion: 40% cheaper here).
# Only a recipient committed concurrently by another wave could still conflict: the run then fails and is retried.
RECIPIENTS = """INSERT INTO recipients (case_id, kk_index, scheme_id, wave_id)
SELECT case_id, kk_index, CAST(:scheme_id AS text), CAST(:wave_id AS text) FROM ({chosen}) v
WHERE NOT EXISTS (SELECT 1 FROM recipients r WHERE r.case_id = v.case_id)
ORDER BY case_id"""
COMPARE = """SELECT (SELECT count(*) FROM (SELECT {cols} FROM {res} EXCEPT {stored}) a)
     + (SELECT count(*) FROM ({stored} EXCEPT SELECT {cols} FROM {res}) b)"""
STORED = "SELECT {cols} FROM wave_results WHERE wave_id = :w"
COLUMNS = "case_id, selected, reason, priority, lottery_rank"
LOCK = (
    "SELECT w.scheme_id, s.seed, now() FROM waves w JOIN wave_seeds s USING (wave_id)"
    " WHERE w.wave_id = :w FOR UPDATE OF w"
)
MAY_SKIP_TRIGGERS = (
    "SELECT current_setting('is_superuser') = 'on'"
    " OR has_parameter_privilege(current_user, 'session_replication_role', 'SET')"
)
PUBLISH = (
    "UPDATE waves SET selected_count = :n, result_digest = :d, revealed_seed = :seed, decided_at = :at,"
    " status = 'SELECTED' WHERE wave_id = :w"
)
PUBLISHED = "SELECT revealed_seed, seed_commitment, result_digest, decided_at, scheme_id FROM waves WHERE wave_id = :w"


@dataclass(frozen=True)
class VerifyReport:
    wave_id: str
    commitment_ok: bool
    recomputed_digest: str
    published_digest: str
    identical: bool
    differences: int


def _household_limit(scheme_id: str) -> int:
    try:
        return get_scheme(scheme_id).max_selected_per_kk
    except KeyError:
        return MAX_PER_KK


class PgSelection:
    """Implements ``SelectionEngine``; ``work_mem`` is per sort or hash of the selection's queries."""

    def __init__(self, engine: AsyncEngine, *, work_mem: str = "2GB") -> None:
        self._engine = engine
        self._work_mem = work_mem

    async def run(self, wave_id: str, *, max_per_kk: int) -> SelectionSummary:
        """Select the wave; store every joiner's verdict, the recipients, the digest and the revealed seed."""
        started = time.perf_counter()
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
            started_outcomes = time.perf_counter()
            written = await write_outcomes(conn, wave_id, as_of)  # results are data: visible at commit
            log.info("%-11s %6.1f s (%d case rows)", "read model", time.perf_counter() - started_outcomes, written)
            started_cards = time.perf_counter()
            cards = await issue_cards(conn, wave_id, as_of)  # enrolment in bulk: the woken only record theirs
            log.info("%-11s %6.1f s (%d cards)", "cards", time.perf_counter() - started_cards, cards)
            params = {"n": out.selected, "d": out.digest, "seed": seed, "at": as_of, "w": wave_id}
            await conn.execute(text(PUBLISH), params)
            await conn.execute(text("DROP TABLE {p}, {c}, {s}, {r}".format(**out.tables)))
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
    ) -> Outcome:
        """The whole rule (``adapters.db.lottery``) with the wave's own quotas and cohorts, into ``target``."""
        return await compute(conn, wave_id, seed, as_of, Rules(max_per_kk), target=target, work_mem=self._work_mem)
