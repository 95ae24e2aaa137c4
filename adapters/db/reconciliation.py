"""Discrepancies found by the daily reconciliation and the record of each run (the ``ReconciliationStore`` port)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.payout_tables import payment_discrepancies, reconciliation_runs
from adapters.db.unavailable import unavailable_on_db_loss
from domain.payouts.ports import Discrepancy, DiscrepancyKind

OPEN, RESOLVED = "OPEN", "RESOLVED"


def row_to_discrepancy(row: Any) -> Discrepancy:
    return Discrepancy(
        day=row.day,
        key=row.key,
        kind=DiscrepancyKind(row.kind),
        detail=row.detail,
        case_id=row.case_id,
        found_at=row.found_at,
        status=row.status,
        id=int(row.id),
    )


class PgReconciliationStore:
    """Implements ``domain.payout_ports.ReconciliationStore``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def record(self, found: list[Discrepancy]) -> int:
        """A discrepancy without ``found_at`` is stamped with the database's clock. Re-recording one already
        stored (same day, key and kind) leaves it as it is, resolved or not."""
        if not found:
            return 0
        values = [
            {
                "day": d.day,
                "key": d.key,
                "kind": DiscrepancyKind(d.kind).value,
                "case_id": d.case_id,
                "detail": d.detail,
                "found_at": d.found_at if d.found_at is not None else func.now(),
                "status": OPEN,
            }
            for d in found
        ]
        stmt = (
            insert(payment_discrepancies)
            .values(values)
            .on_conflict_do_nothing(index_elements=["day", "key", "kind"])
            .returning(payment_discrepancies.c.id)
        )
        async with self._engine.begin() as conn:
            return len((await conn.execute(stmt)).all())

    @unavailable_on_db_loss
    async def discrepancies(self, *, status: str | None = OPEN, limit: int = 100) -> list[Discrepancy]:
        """Newest day first; within a day in the order they were recorded."""
        stmt = select(payment_discrepancies)
        if status is not None:
            stmt = stmt.where(payment_discrepancies.c.status == status)
        stmt = stmt.order_by(payment_discrepancies.c.day.desc(), payment_discrepancies.c.id).limit(limit)
        async with self._engine.connect() as conn:
            return [row_to_discrepancy(r) for r in await conn.execute(stmt)]

    @unavailable_on_db_loss
    async def resolve(self, discrepancy_id: int, *, by: str, note: str, at: dt.datetime) -> bool:
        """False when there is no such discrepancy or it was already resolved (the first resolution stands)."""
        stmt = (
            update(payment_discrepancies)
            .where(payment_discrepancies.c.id == discrepancy_id, payment_discrepancies.c.status == OPEN)
            .values(status=RESOLVED, resolved_by=by, resolved_note=note, resolved_at=at)
            .returning(payment_discrepancies.c.id)
        )
        async with self._engine.begin() as conn:
            return (await conn.execute(stmt)).first() is not None

    @unavailable_on_db_loss
    async def mark_run(self, day: dt.date, *, lines: int, rows: int, found: int, at: dt.datetime) -> None:
        """One row per day: a re-run replaces the counts of the previous run."""
        stmt = insert(reconciliation_runs).values(day=day, lines=lines, rows=rows, found=found, ran_at=at)
        stmt = stmt.on_conflict_do_update(
            index_elements=[reconciliation_runs.c.day],
            set_={"lines": lines, "rows": rows, "found": found, "ran_at": at},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    @unavailable_on_db_loss
    async def last_run(self, day: dt.date) -> dict[str, Any] | None:
        """The counts of the latest run for ``day`` (``lines``, ``rows``, ``found``, ``ran_at``), or ``None``."""
        stmt = select(reconciliation_runs).where(reconciliation_runs.c.day == day)
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).first()
        return dict(row._mapping) if row is not None else None
