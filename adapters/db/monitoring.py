"""Monitoring in PostgreSQL (``MonitoringStore``): the seed committed at the first request for a provider's month,
the month's trainings frozen and the sample drawn once the month is over (``domain.quality.monitoring``), findings
with evidence on the provider's timeline."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.quality_rows import timeline_event
from adapters.db.quality_tables import monitoring_findings, monitoring_samples
from adapters.db.tables import vouchers
from adapters.db.unavailable import unavailable_on_db_loss
from domain.quality import monitoring as mn


def _sample(row: Any) -> mn.MonitoringSample:
    drawn = row.drawn is not None
    return mn.MonitoringSample(
        sample_id=int(row.id),
        body_code=row.body_code,
        provider_code=row.provider_code,
        month=row.month,
        commitment=row.commitment,
        committed_at=row.committed_at,
        seed=row.seed if drawn else None,
        population=tuple(row.population) if drawn else None,
        drawn=tuple(row.drawn) if drawn else None,
        drawn_at=row.drawn_at,
    )


def _finding(row: Any) -> mn.Finding:
    return mn.Finding(
        finding_id=int(row.id),
        body_code=row.body_code,
        provider_code=row.provider_code,
        course_code=row.course_code,
        voucher_code=row.voucher_code,
        severity=mn.Severity(row.severity),
        summary=row.summary,
        evidence=tuple(row.evidence),
        actor=row.actor,
        at=row.at,
    )


class PgMonitoringStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)

    @unavailable_on_db_loss
    async def sample(self, body_code: str, provider_code: str, month: str, now: dt.datetime) -> mn.MonitoringSample:
        start, end = mn.month_bounds(month)
        m = monitoring_samples.c
        key = (m.body_code == body_code, m.provider_code == provider_code, m.month == month)
        async with self._engine.begin() as conn:
            seed = secrets.token_hex(32)
            await conn.execute(
                insert(monitoring_samples)
                .values(
                    body_code=body_code,
                    provider_code=provider_code,
                    month=month,
                    seed=seed,
                    commitment=mn.commitment(seed),
                    committed_at=now,
                    size=0,
                )
                .on_conflict_do_nothing()
            )
            row = (await conn.execute(select(monitoring_samples).where(*key).with_for_update())).one()
            if row.drawn is None and now >= end:
                v = vouchers.c
                population = list(
                    (
                        await conn.scalars(
                            select(v.voucher_code).where(
                                v.provider_code == provider_code, v.created_at >= start, v.created_at < end
                            )
                        )
                    ).all()
                )
                drawn = mn.draw(row.seed, population)
                row = (
                    await conn.execute(
                        update(monitoring_samples)
                        .where(m.id == row.id)
                        .values(population=sorted(population), drawn=drawn, size=len(drawn), drawn_at=now)
                        .returning(*monitoring_samples.c)
                    )
                ).one()
                await timeline_event(
                    conn,
                    now,
                    f"body:{body_code}",
                    "SAMPLE_DRAWN",
                    provider_code,
                    None,
                    sample=row.id,
                    month=month,
                    size=len(drawn),
                    population=len(population),
                )
        return _sample(row)

    @unavailable_on_db_loss
    async def sample_by_id(self, sample_id: int) -> mn.MonitoringSample | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(select(monitoring_samples).where(monitoring_samples.c.id == sample_id))).first()
        return _sample(row) if row is not None else None

    @unavailable_on_db_loss
    async def record_finding(self, f: mn.Finding) -> mn.Finding:
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    insert(monitoring_findings)
                    .values(
                        body_code=f.body_code,
                        provider_code=f.provider_code,
                        course_code=f.course_code,
                        voucher_code=f.voucher_code,
                        severity=f.severity.value,
                        summary=f.summary,
                        evidence=list(f.evidence),
                        actor=f.actor,
                        at=f.at,
                    )
                    .returning(*monitoring_findings.c)
                )
            ).one()
            await timeline_event(
                conn,
                f.at,
                f.actor,
                "FINDING_RECORDED",
                f.provider_code,
                f.course_code,
                finding=row.id,
                severity=f.severity.value,
                evidence=list(f.evidence),
            )
        return _finding(row)

    @unavailable_on_db_loss
    async def findings(self, provider_code: str) -> list[mn.Finding]:
        f = monitoring_findings.c
        async with self._single.connect() as conn:
            rows = (
                await conn.execute(
                    select(monitoring_findings).where(f.provider_code == provider_code).order_by(f.id.desc()).limit(200)
                )
            ).all()
        return [_finding(r) for r in rows]
