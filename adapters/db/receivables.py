"""Clawback receivables and their repayments (the ``ReceivableStore`` port).

A receivable is opened once per case; repayments are recorded once per key and the amount repaid is always
their sum, so a retried repayment never counts twice.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.payout_tables import receivables, repayments
from adapters.db.unavailable import unavailable_on_db_loss
from domain.payouts.ports import Receivable, ReceivableStatus, Repayment

_REPAID = (
    select(repayments.c.case_id, func.sum(repayments.c.amount).label("repaid"))
    .group_by(repayments.c.case_id)
    .subquery("repaid")
)
_WITH_REPAID = select(receivables, func.coalesce(_REPAID.c.repaid, 0).label("repaid")).select_from(
    receivables.outerjoin(_REPAID, _REPAID.c.case_id == receivables.c.case_id)
)

_ALLOWED = {
    ReceivableStatus.OPEN: {ReceivableStatus.REPAID, ReceivableStatus.ESCALATED},
    ReceivableStatus.ESCALATED: {ReceivableStatus.REPAID},
    ReceivableStatus.REPAID: set(),
}
"""Status changes a receivable may make; setting the status it already has is a no-op."""


def row_to_receivable(row: Any) -> Receivable:
    return Receivable(
        case_id=row.case_id,
        training_aid=int(row.training_aid),
        incentives=int(row.incentives),
        reason_code=row.reason_code,
        reason=row.reason,
        evidence=row.evidence,
        opened_at=row.opened_at,
        due_at=row.due_at,
        status=ReceivableStatus(row.status),
        repaid=int(row.repaid),
        closed_at=row.closed_at,
    )


async def _get(conn: AsyncConnection, case_id: str) -> Receivable | None:
    row = (await conn.execute(_WITH_REPAID.where(receivables.c.case_id == case_id))).first()
    return row_to_receivable(row) if row is not None else None


async def _lock(conn: AsyncConnection, case_id: str) -> Any:
    stmt = select(receivables.c.status).where(receivables.c.case_id == case_id).with_for_update()
    return (await conn.execute(stmt)).first()


class PgReceivableStore:
    """Implements ``domain.payout_ports.ReceivableStore``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def open(self, r: Receivable) -> Receivable:
        """Opens ``r`` as OPEN with nothing repaid (its ``status``, ``repaid`` and ``closed_at`` are ignored)."""
        stmt = (
            insert(receivables)
            .values(
                case_id=r.case_id,
                training_aid=r.training_aid,
                incentives=r.incentives,
                reason_code=r.reason_code,
                reason=r.reason,
                evidence=r.evidence,
                opened_at=r.opened_at,
                due_at=r.due_at,
                status=ReceivableStatus.OPEN.value,
            )
            .on_conflict_do_nothing(index_elements=[receivables.c.case_id])
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)
            stored = await _get(conn, r.case_id)
        assert stored is not None
        return stored

    @unavailable_on_db_loss
    async def repay(self, p: Repayment) -> Receivable:
        """Raises ``LookupError`` when the case has no receivable, ``ValueError`` when the key was used for
        another case. The status is left as it is: whoever calls decides when the receivable counts as repaid."""
        async with self._engine.begin() as conn:
            if await _lock(conn, p.case_id) is None:
                raise LookupError(f"case {p.case_id} has no receivable")
            await conn.execute(
                insert(repayments)
                .values(key=p.key, case_id=p.case_id, amount=p.amount, reference=p.reference, at=p.at)
                .on_conflict_do_nothing(index_elements=[repayments.c.key])
            )
            owner = (await conn.execute(select(repayments.c.case_id).where(repayments.c.key == p.key))).scalar_one()
            if owner != p.case_id:
                raise ValueError(f"repayment key {p.key!r} was used for another case")
            stored = await _get(conn, p.case_id)
        assert stored is not None
        return stored

    @unavailable_on_db_loss
    async def set_status(self, case_id: str, status: ReceivableStatus, at: dt.datetime) -> Receivable:
        """``closed_at`` becomes ``at`` on REPAID or ESCALATED. Setting the current status again returns the
        receivable unchanged; ``ValueError`` for any change other than OPEN → REPAID | ESCALATED and
        ESCALATED → REPAID; ``LookupError`` when the case has no receivable."""
        target = ReceivableStatus(status)
        async with self._engine.begin() as conn:
            row = await _lock(conn, case_id)
            if row is None:
                raise LookupError(f"case {case_id} has no receivable")
            current = ReceivableStatus(row.status)
            if current != target:
                if target not in _ALLOWED[current]:
                    raise ValueError(f"receivable of {case_id}: {current.value} -> {target.value} is not allowed")
                await conn.execute(
                    update(receivables)
                    .where(receivables.c.case_id == case_id)
                    .values(status=target.value, closed_at=at)
                )
            stored = await _get(conn, case_id)
        assert stored is not None
        return stored

    @unavailable_on_db_loss
    async def get(self, case_id: str) -> Receivable | None:
        async with self._engine.connect() as conn:
            return await _get(conn, case_id)

    @unavailable_on_db_loss
    async def list(self, *, status: ReceivableStatus | None = None, limit: int = 100) -> builtins.list[Receivable]:
        """Earliest due first."""
        stmt = _WITH_REPAID
        if status is not None:
            stmt = stmt.where(receivables.c.status == ReceivableStatus(status).value)
        stmt = stmt.order_by(receivables.c.due_at, receivables.c.case_id).limit(limit)
        async with self._engine.connect() as conn:
            return [row_to_receivable(r) for r in await conn.execute(stmt)]

    @unavailable_on_db_loss
    async def repayments(self, case_id: str) -> builtins.list[Repayment]:
        """The repayments of a case, oldest first."""
        stmt = select(repayments).where(repayments.c.case_id == case_id).order_by(repayments.c.at, repayments.c.key)
        async with self._engine.connect() as conn:
            return [Repayment(r.key, r.case_id, int(r.amount), r.reference, r.at) for r in await conn.execute(stmt)]
