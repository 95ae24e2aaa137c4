"""Wave selection in PostgreSQL: the lottery of ``adapters.db.lottery`` run over a whole wave, and what follows it.

1. The lottery (``lottery.compute``) with the wave's own quotas, cohorts and household limit; one result row per
   joiner, inserted in case ID order (the order of the results' primary key).
2. The selected become recipients; the digest and the revealed seed are published, in the same commit as the
   results (visible from then on: the read paths overlay them, ``adapters.db.wave_overlay``).
3. Each selected joiner gets a card and its credit in a second transaction (``adapters.db.bulk_enrolment``).

A failed run rolls back with its work tables. ``verify`` recomputes with the revealed seed into a temporary table
and compares both ways with EXCEPT.
"""

from __future__ import annotations

import dataclasses
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
from adapters.db.selection_sql import (
    COLUMNS,
    COMPARE,
    DECIDED,
    LOCK,
    MAY_SKIP_TRIGGERS,
    PUBLISH,
    PUBLISHED,
    STORED,
    published_summary,
)
from adapters.db.unavailable import unavailable_on_db_loss
from domain.scheme import get_scheme
from domain.waves.selection import MAX_PER_KK, SelectionSummary, commitment

log = logging.getLogger(__name__)

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
    ) -> Outcome:
        """The whole rule (``adapters.db.lottery``) with the wave's own quotas and cohorts, into ``target``."""
        return await compute(conn, wave_id, seed, as_of, Rules(max_per_kk), target=target, work_mem=self._work_mem)
