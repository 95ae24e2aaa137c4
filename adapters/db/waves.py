"""Waves in PostgreSQL: the ``WaveStore`` port."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.tables import wave_audit, wave_cohorts, wave_joiners, wave_quotas, wave_results, wave_seeds, waves
from adapters.db.unavailable import unavailable_on_db_loss
from adapters.db.wave_announce import push_range, wake_page
from domain.waves.ports import ProvinceCount, WakePage, WavePlan, WaveView

# Row lock on the wave: joiners take it shared, close takes it exclusive, so no joiner lands after close.
_JOIN = text(
    """
    WITH w AS (SELECT status FROM waves WHERE wave_id = :wave_id FOR SHARE),
         q AS (SELECT 1 FROM wave_quotas WHERE wave_id = :wave_id AND province_code = :province AND quota > 0),
         ins AS (
           INSERT INTO wave_joiners (wave_id, case_id, province_code, kk_index, wake_all)
           SELECT :wave_id, :case_id, :province, :kk_index, :wake_all
           WHERE (SELECT status FROM w) = 'OPEN' AND EXISTS (SELECT 1 FROM q)
           ON CONFLICT DO NOTHING
           RETURNING 1
         )
    SELECT (SELECT status FROM w) AS status, EXISTS (SELECT 1 FROM q) AS province_ok,
           EXISTS (SELECT 1 FROM ins) AS inserted
    """
)

_RESULT = text(
    "SELECT r.selected, r.reason, w.decided_at FROM wave_results AS r JOIN waves AS w ON w.wave_id = r.wave_id"
    " WHERE r.wave_id = :w AND r.case_id = :c"
)


class PgWaveStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)  # one-statement reads: no BEGIN/ROLLBACK round trips

    async def create(self, plan: WavePlan) -> bool:
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    insert(waves)
                    .values(
                        wave_id=plan.wave_id,
                        number=plan.number,
                        scheme_id=plan.scheme_id,
                        opens_at=plan.opens_at,
                        closes_at=plan.closes_at,
                        status="SCHEDULED",
                        national_quota=sum(plan.quotas.values()),
                        created_by=plan.created_by,
                    )
                    .on_conflict_do_nothing()
                    .returning(waves.c.wave_id)
                )
            ).first()
            if row is None:
                existing = await self._get(conn, plan.wave_id)
                return existing is not None and existing.plan.number == plan.number
            await conn.execute(
                insert(wave_quotas),
                [{"wave_id": plan.wave_id, "province_code": p, "quota": q} for p, q in sorted(plan.quotas.items())],
            )
            await self._audit(conn, plan.wave_id, "CREATE", plan.created_by, f"{len(plan.quotas)} provincial quotas")
        return True

    @unavailable_on_db_loss
    async def get(self, wave_id: str) -> WaveView | None:
        async with self._engine.connect() as conn:
            return await self._get(conn, wave_id)

    async def _get(self, conn: Any, wave_id: str) -> WaveView | None:
        row = (await conn.execute(select(waves).where(waves.c.wave_id == wave_id))).first()
        if row is None:
            return None
        quotas = (await conn.execute(select(wave_quotas).where(wave_quotas.c.wave_id == wave_id))).all()
        return _view(row, {q.province_code: q.quota for q in quotas})

    @unavailable_on_db_loss
    async def list(self, *, status: str | None = None, province: str | None = None) -> list[WaveView]:
        stmt = select(waves).order_by(waves.c.number.desc()).limit(200)
        if status is not None:
            stmt = stmt.where(waves.c.status == status)
        if province is not None:
            stmt = stmt.where(
                select(wave_quotas.c.wave_id)
                .where(wave_quotas.c.wave_id == waves.c.wave_id, wave_quotas.c.province_code == province)
                .exists()
            )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
            ids = [r.wave_id for r in rows]
            quotas = (await conn.execute(select(wave_quotas).where(wave_quotas.c.wave_id.in_(ids)))).all()
        by_wave: dict[str, dict[str, int]] = {}
        for q in quotas:
            by_wave.setdefault(q.wave_id, {})[q.province_code] = q.quota
        return [_view(r, by_wave.get(r.wave_id, {})) for r in rows]

    @unavailable_on_db_loss
    async def counts(self, wave_id: str) -> list[ProvinceCount]:
        joined = (
            select(wave_joiners.c.province_code, func.count().label("n"))
            .where(wave_joiners.c.wave_id == wave_id)
            .group_by(wave_joiners.c.province_code)
            .subquery()
        )
        results = (
            select(
                wave_joiners.c.province_code,
                func.count().filter(wave_results.c.selected).label("selected"),
                func.count().filter(wave_results.c.reason.in_(_EXCLUDED)).label("excluded"),
            )
            .join(
                wave_results,
                and_(
                    wave_results.c.wave_id == wave_joiners.c.wave_id, wave_results.c.case_id == wave_joiners.c.case_id
                ),
            )
            .where(wave_joiners.c.wave_id == wave_id)
            .group_by(wave_joiners.c.province_code)
            .subquery()
        )
        stmt = (
            select(
                wave_quotas.c.province_code,
                wave_quotas.c.quota,
                func.coalesce(joined.c.n, 0),
                func.coalesce(results.c.selected, 0),
                func.coalesce(results.c.excluded, 0),
            )
            .select_from(wave_quotas)
            .outerjoin(joined, joined.c.province_code == wave_quotas.c.province_code)
            .outerjoin(results, results.c.province_code == wave_quotas.c.province_code)
            .where(wave_quotas.c.wave_id == wave_id)
            .order_by(wave_quotas.c.province_code)
        )
        async with self._single.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [ProvinceCount(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    @unavailable_on_db_loss
    async def add_cohort(self, wave_id: str, cohort: str, nik_indexes: list[str]) -> int:
        if not nik_indexes:
            return 0
        async with self._engine.begin() as conn:
            result = await conn.execute(
                insert(wave_cohorts).on_conflict_do_nothing(),
                [{"wave_id": wave_id, "nik_index": n, "cohort": cohort} for n in nik_indexes],
            )
            await self._audit(conn, wave_id, "COHORT", cohort, f"{len(nik_indexes)} NIKs uploaded")
        return int(result.rowcount or 0)

    async def open(self, wave_id: str, *, seed: str, commitment: str) -> None:
        async with self._engine.begin() as conn:
            stored = (
                await conn.execute(
                    insert(wave_seeds)
                    .values(wave_id=wave_id, seed=seed)
                    .on_conflict_do_nothing()
                    .returning(wave_seeds.c.seed)
                )
            ).first()
            if stored is None:
                return  # opened before (activity retry): the first seed and commitment stand
            await conn.execute(
                update(waves)
                .where(waves.c.wave_id == wave_id, waves.c.status == "SCHEDULED")
                .values(status="OPEN", seed_commitment=commitment)
            )

    async def close(self, wave_id: str, *, actor: str, reason: str) -> None:
        async with self._engine.begin() as conn:
            changed = await conn.execute(
                update(waves)
                .where(waves.c.wave_id == wave_id, waves.c.status.in_(("SCHEDULED", "OPEN")))
                .values(status="CLOSED", closed_at=func.now())
            )
            if changed.rowcount:
                await self._audit(conn, wave_id, "CLOSE", actor, reason)

    async def extend(self, wave_id: str, *, closes_at: dt.datetime, actor: str, reason: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(waves).where(waves.c.wave_id == wave_id).values(closes_at=closes_at))
            await self._audit(conn, wave_id, "EXTEND", actor, f"{reason} (until {closes_at.isoformat()})")

    async def mark_announced(self, wave_id: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(waves).where(waves.c.wave_id == wave_id).values(status="ANNOUNCED"))

    async def register_joiner(
        self, wave_id: str, case_id: str, province_code: str, kk_index: str, *, wake_all: bool = True
    ) -> str:
        params = {"wave_id": wave_id, "case_id": case_id, "province": province_code, "kk_index": kk_index}
        params["wake_all"] = wake_all
        async with self._engine.begin() as conn:
            row = (await conn.execute(_JOIN, params)).one()
            if row.status is None:
                return "WAVE_NOT_FOUND"
            if row.inserted:
                return "JOINED"
            if row.status != "OPEN":
                exists = await conn.execute(
                    select(wave_joiners.c.case_id).where(
                        wave_joiners.c.wave_id == wave_id, wave_joiners.c.case_id == case_id
                    )
                )
                return "ALREADY_JOINED" if exists.first() else "WAVE_NOT_OPEN"
            return "ALREADY_JOINED" if row.province_ok else "WRONG_PROVINCE"

    async def result(self, wave_id: str, case_id: str) -> tuple[bool, str, dt.datetime | None] | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(_RESULT, {"w": wave_id, "c": case_id})).first()
        return (bool(row.selected), str(row.reason), row.decided_at) if row else None

    async def wake_page(self, wave_id: str, after_case_id: str, limit: int) -> WakePage:
        return await wake_page(self._single, wave_id, after_case_id, limit)

    async def push_results(self, wave_id: str, after_case_id: str, upto_case_id: str) -> int:
        return await push_range(self._engine, wave_id, after_case_id, upto_case_id)

    async def joiners_after(self, wave_id: str, after_case_id: str, limit: int) -> list[str]:
        async with self._single.connect() as conn:
            rows = await conn.execute(
                select(wave_joiners.c.case_id)
                .where(wave_joiners.c.wave_id == wave_id, wave_joiners.c.case_id > after_case_id)
                .order_by(wave_joiners.c.case_id)
                .limit(limit)
            )
            return [r[0] for r in rows]

    async def _audit(self, conn: Any, wave_id: str, action: str, actor: str, reason: str) -> None:
        await conn.execute(insert(wave_audit).values(wave_id=wave_id, action=action, actor=actor, reason=reason))


_EXCLUDED = ("NOT_SELECTED_BLACKLISTED", "NOT_SELECTED_ALREADY_RECIPIENT", "NOT_SELECTED_HOUSEHOLD")


def _view(row: Any, quotas: dict[str, int]) -> WaveView:
    plan = WavePlan(row.wave_id, row.number, row.scheme_id, row.opens_at, row.closes_at, quotas, row.created_by)
    return WaveView(
        plan=plan,
        status=row.status,
        national_quota=row.national_quota,
        seed_commitment=row.seed_commitment,
        revealed_seed=row.revealed_seed,
        result_digest=row.result_digest,
        selected_count=row.selected_count,
        closed_at=row.closed_at,
        decided_at=row.decided_at,
    )
