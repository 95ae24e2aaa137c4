"""What-ifs in PostgreSQL (implements ``domain.waves.what_if_ports.WhatIfDesk``).

A request is one ``what_ifs`` row per staff member and client key, recorded with a line in the wave's audit log in
the same transaction. A run applies the wave's lottery (``adapters.db.lottery.compute``, the engine of the real
selection and of its verification) to the frozen joiners with the revealed seed and the records as of the real
decision, under the what-if's rules; its verdicts are never stored: one set-based statement joins them with the
real ``wave_results`` and keeps the counts per (province, real reason, what-if reason) in ``what_if_cells``. The
work tables are dropped in the run's transaction, which also marks the what-if done: a run that dies leaves nothing
half-written and is simply run again.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.lottery import QUOTAS, VERDICTS, Rules, compute, timed
from adapters.db.unavailable import unavailable_on_db_loss
from domain.scheme import get_scheme
from domain.waves.selection import MAX_PER_KK
from domain.waves.what_if import (
    WhatIfCell,
    WhatIfParams,
    WhatIfRequested,
    WhatIfStatus,
    WhatIfView,
    compare,
)
from domain.waves.what_if_ports import WhatIfOutcome

COHORTS = "SELECT DISTINCT cohort FROM wave_cohorts WHERE wave_id = :w ORDER BY 1"
REQUEST = """INSERT INTO what_ifs (wave_id, requested_by, client_key, params)
VALUES (:w, :by, :key, CAST(:params AS jsonb))
ON CONFLICT (requested_by, client_key) DO NOTHING RETURNING what_if_id"""
EXISTING = "SELECT what_if_id, wave_id, params, status FROM what_ifs WHERE requested_by = :by AND client_key = :key"
AUDIT = "INSERT INTO wave_audit (wave_id, action, actor, reason, at) VALUES (:w, 'WHAT_IF', :by, :reason, now())"
READ = """SELECT f.*, w.scheme_id, w.result_digest FROM what_ifs f JOIN waves w USING (wave_id)
WHERE f.what_if_id = :id"""
OF_WAVE = "SELECT what_if_id FROM what_ifs WHERE wave_id = :w ORDER BY what_if_id DESC LIMIT :n"
CELLS = "SELECT province_code, real_reason, what_if_reason, joiners FROM what_if_cells WHERE what_if_id = :id"
CLAIM = """SELECT f.wave_id, f.params, f.status, f.selected, f.digest, f.seconds,
       w.revealed_seed, w.decided_at, w.scheme_id, w.result_digest
FROM what_ifs f JOIN waves w USING (wave_id) WHERE f.what_if_id = :id FOR UPDATE OF f"""
# What-ifs run one at a time per database (each may sort millions of rows with a large work_mem); the others wait.
ONE_AT_A_TIME = "SELECT pg_advisory_xact_lock(7126853)"
STARTED = "UPDATE what_ifs SET status = 'RUNNING', started_at = now() WHERE what_if_id = :id AND status = 'QUEUED'"
# The real reason of every joiner beside the what-if's, counted; a joiner without a real result (none: a decided
# wave has one per joiner) would show as UNDECIDED.
COMPARE = """INSERT INTO what_if_cells (what_if_id, province_code, real_reason, what_if_reason, joiners)
SELECT CAST(:id AS bigint), v.province_code, coalesce(r.reason, 'UNDECIDED'), v.reason, count(*)
FROM ({verdicts}) v
LEFT JOIN wave_results r ON r.wave_id = :w AND r.case_id = v.case_id COLLATE "C"
GROUP BY 2, 3, 4"""
DONE = """UPDATE what_ifs SET status = 'DONE', finished_at = now(), selected = :n, digest = :d, seconds = :s,
error = NULL WHERE what_if_id = :id"""
FAIL = """UPDATE what_ifs SET status = 'FAILED', finished_at = now(), error = :m
WHERE what_if_id = :id AND status <> 'DONE'"""


def household_limit(params: WhatIfParams, scheme_id: str) -> int:
    if params.household_limit is not None:
        return params.household_limit
    try:
        return get_scheme(scheme_id).max_selected_per_kk
    except KeyError:
        return MAX_PER_KK


class PgWhatIfDesk:
    def __init__(self, engine: AsyncEngine, *, work_mem: str = "2GB") -> None:
        self._engine = engine
        self._reads = autocommit(engine)
        self._work_mem = work_mem

    @unavailable_on_db_loss
    async def cohorts(self, wave_id: str) -> list[str]:
        async with self._reads.connect() as conn:
            return list((await conn.execute(text(COHORTS), {"w": wave_id})).scalars())

    @unavailable_on_db_loss
    async def request(self, wave_id: str, params: WhatIfParams, *, actor: str, client_key: str) -> WhatIfRequested:
        args = {"w": wave_id, "by": actor, "key": client_key, "params": json.dumps(params.to_json())}
        async with self._engine.begin() as conn:
            new = (await conn.execute(text(REQUEST), args)).scalar()
            if new is not None:
                reason = f"what-if {new}: {args['params']}"
                await conn.execute(text(AUDIT), {"w": wave_id, "by": actor, "reason": reason})
                return WhatIfRequested(what_if_id=int(new), created=True)
            row = (await conn.execute(text(EXISTING), args)).one()
        same = row.wave_id == wave_id and row.params == params.to_json()  # cohorts in any order
        return WhatIfRequested(int(row.what_if_id), created=False, same_request=same, status=WhatIfStatus(row.status))

    @unavailable_on_db_loss
    async def get(self, what_if_id: int) -> WhatIfView | None:
        async with self._reads.connect() as conn:
            row = (await conn.execute(text(READ), {"id": what_if_id})).one_or_none()
            if row is None:
                return None
            quotas = dict((await conn.execute(text(QUOTAS), {"w": row.wave_id})).all())
            cells = [WhatIfCell(*c) for c in await conn.execute(text(CELLS), {"id": what_if_id})]
        params = WhatIfParams.from_json(row.params)
        done = row.status == WhatIfStatus.DONE
        return WhatIfView(
            what_if_id=int(row.what_if_id),
            wave_id=row.wave_id,
            status=WhatIfStatus(row.status),
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            params=params,
            household_limit=household_limit(params, row.scheme_id),
            real_quotas=quotas,
            finished_at=row.finished_at,
            selected=row.selected,
            same_as_real=(row.digest == row.result_digest) if done else None,
            seconds=row.seconds,
            error=row.error,
            provinces=compare(cells, quotas, {**quotas, **params.quotas}) if done else [],
        )

    @unavailable_on_db_loss
    async def of_wave(self, wave_id: str, *, limit: int) -> list[WhatIfView]:
        async with self._reads.connect() as conn:
            ids = list((await conn.execute(text(OF_WAVE), {"w": wave_id, "n": limit})).scalars())
        return [view for i in ids if (view := await self.get(i)) is not None]

    async def run(self, what_if_id: int) -> WhatIfOutcome:
        async with self._engine.begin() as conn:
            await conn.execute(text(ONE_AT_A_TIME))
            started = time.perf_counter()  # the run's own time, not its wait for the one before
            async with self._reads.connect() as other:  # visible at once: the run below is one transaction
                await other.execute(text(STARTED), {"id": what_if_id})
            row = (await conn.execute(text(CLAIM), {"id": what_if_id})).one_or_none()
            if row is None:
                raise LookupError(f"no what-if {what_if_id}")
            if row.status == WhatIfStatus.DONE:  # a retried attempt after the first one committed
                return _outcome(what_if_id, row.selected, row.digest, row.result_digest, row.seconds)
            if row.revealed_seed is None or row.decided_at is None:
                raise LookupError(f"wave {row.wave_id} is not decided")
            params = WhatIfParams.from_json(row.params)
            quotas = dict((await conn.execute(text(QUOTAS), {"w": row.wave_id})).all())
            rules = Rules(
                max_per_kk=household_limit(params, row.scheme_id),
                quotas={**quotas, **params.quotas},
                cohorts=params.priority_cohorts,
            )
            out = await compute(
                conn, row.wave_id, row.revealed_seed, row.decided_at, rules, target=None, work_mem=self._work_mem
            )
            compared = COMPARE.format(verdicts=VERDICTS.format(**out.tables))
            await timed(conn, "compare", compared, {"id": what_if_id, "w": row.wave_id})
            await conn.execute(text("DROP TABLE {p}, {c}, {s}, {r}".format(**out.tables)))
            seconds = time.perf_counter() - started
            done = {"id": what_if_id, "n": out.selected, "d": out.digest, "s": seconds}
            await conn.execute(text(DONE), done)
        return _outcome(what_if_id, out.selected, out.digest, row.result_digest, seconds)

    async def fail(self, what_if_id: int, message: str) -> None:
        async with self._reads.connect() as conn:
            await conn.execute(text(FAIL), {"id": what_if_id, "m": message[:2000]})


def _outcome(what_if_id: int, selected: Any, digest: Any, real_digest: Any, seconds: Any) -> WhatIfOutcome:
    return WhatIfOutcome(what_if_id, int(selected or 0), digest is not None and digest == real_digest, seconds or 0.0)
