"""The ``payments`` table: one row per attempt to pay a tranche (the ``PaymentStore`` port).

PostgreSQL holds the two rules that keep money from leaving twice: a partial unique index allows at most one
PENDING or PAID row per tranche, and a trigger lets a row be settled once (PENDING → PAID or FAILED) and never
deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.payout_tables import payments
from adapters.db.unavailable import unavailable_on_db_loss
from domain.clock import WIB
from domain.payouts.ports import PaymentClaim, PaymentRow, PaymentStatus, TransferOutcome, TransferResult
from domain.payouts.tranches import Provider, attempt_key, tranche_key

_UNIQUE_VIOLATION = "23505"
_CLAIM_ROUNDS = 5
"""A claim re-reads after losing a race; a live row it lost to may settle FAILED meanwhile, so it tries again."""


def row_to_payment(row: Any) -> PaymentRow:
    return PaymentRow(
        key=row.key,
        tranche_key=row.tranche_key,
        case_id=row.case_id,
        tranche=int(row.tranche),
        attempt=int(row.attempt),
        kind=row.kind,
        amount=int(row.amount),
        provider=Provider(row.provider),
        account_number=row.account_number,
        link_no=int(row.link_no),
        status=PaymentStatus(row.status),
        created_at=row.created_at,
        settled_at=row.settled_at,
        partner_ref=row.partner_ref,
        failure_code=row.failure_code,
        failure_message=row.failure_message,
    )


def jakarta_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of an Asia/Jakarta (WIB, UTC+7, no daylight saving) calendar day."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=WIB)
    return start, start + dt.timedelta(days=1)


async def _live(conn: AsyncConnection, tranche: str) -> PaymentRow | None:
    stmt = select(payments).where(payments.c.tranche_key == tranche, payments.c.status != PaymentStatus.FAILED.value)
    row = (await conn.execute(stmt)).first()
    return row_to_payment(row) if row is not None else None


async def _by_key(conn: AsyncConnection, key: str) -> PaymentRow | None:
    row = (await conn.execute(select(payments).where(payments.c.key == key))).first()
    return row_to_payment(row) if row is not None else None


class PgPaymentStore:
    """Implements ``domain.payout_ports.PaymentStore``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def claim(self, c: PaymentClaim) -> PaymentRow:
        tranche, key = tranche_key(c.case_id, c.tranche), attempt_key(c.case_id, c.tranche, c.attempt)
        values = {
            "key": key,
            "tranche_key": tranche,
            "case_id": c.case_id,
            "tranche": c.tranche,
            "attempt": c.attempt,
            "kind": c.kind,
            "amount": c.amount,
            "provider": Provider(c.provider).value,
            "account_number": c.account_number,
            "link_no": c.link_no,
            "status": PaymentStatus.PENDING.value,
            "created_at": c.at,
        }
        for _ in range(_CLAIM_ROUNDS):
            try:
                found = await self._claim_once(tranche, key, values)
            except IntegrityError as exc:
                if getattr(exc.orig, "sqlstate", None) != _UNIQUE_VIOLATION:
                    raise
                continue  # another claim of the tranche won; the next round reads its row
            if found is not None:
                return found
        raise RuntimeError(f"payment claim of {key} kept losing races; giving up")

    async def _claim_once(self, tranche: str, key: str, values: dict[str, Any]) -> PaymentRow | None:
        async with self._engine.begin() as conn:
            found = await _live(conn, tranche) or await _by_key(conn, key)
            if found is not None:
                return found
            # No conflict target: a clash on the key *or* on the tranche's partial unique index does nothing
            # (once the other transaction ends), and the re-read below (a fresh snapshot) finds the winner.
            created = (
                await conn.execute(insert(payments).values(**values).on_conflict_do_nothing().returning(payments))
            ).first()
            if created is not None:
                return row_to_payment(created)
            return await _live(conn, tranche) or await _by_key(conn, key)

    async def settle(self, key: str, result: TransferResult) -> PaymentRow:
        """Raises ``LookupError`` when no row has ``key`` and ``ValueError`` when the result is for another key."""
        return (await self.settle_once(key, result))[0]

    @unavailable_on_db_loss
    async def settle_once(self, key: str, result: TransferResult) -> tuple[PaymentRow, bool]:
        if result.key != key:
            raise ValueError(f"result for {result.key!r} cannot settle payment {key!r}")
        if result.outcome == TransferOutcome.PENDING:  # accepted, not settled: nothing to record
            async with self._engine.connect() as conn:
                stored = await _by_key(conn, key)
            if stored is None:
                raise LookupError(f"no payment {key!r}")
            return stored, False
        paid = result.outcome == TransferOutcome.PAID
        stmt = (
            update(payments)
            .where(payments.c.key == key, payments.c.status == PaymentStatus.PENDING.value)
            .values(
                status=(PaymentStatus.PAID if paid else PaymentStatus.FAILED).value,
                settled_at=result.at,
                partner_ref=result.partner_ref,
                failure_code=None if paid else (result.code or "TRANSFER_FAILED"),
                failure_message=None if paid else result.message,
            )
            .returning(payments)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
            if row is not None:
                return row_to_payment(row), True
            stored = await _by_key(conn, key)
        if stored is None:
            raise LookupError(f"no payment {key!r}")
        return stored, False

    @unavailable_on_db_loss
    async def for_case(self, case_id: str) -> list[PaymentRow]:
        stmt = (
            select(payments)
            .where(payments.c.case_id == case_id)
            .order_by(payments.c.tranche, payments.c.attempt, payments.c.key)
        )
        async with self._engine.connect() as conn:
            return [row_to_payment(r) for r in await conn.execute(stmt)]

    @unavailable_on_db_loss
    async def by_keys(self, keys: list[str]) -> list[PaymentRow]:
        if not keys:
            return []
        stmt = select(payments).where(payments.c.key.in_(sorted(set(keys)))).order_by(payments.c.key)
        async with self._engine.connect() as conn:
            return [row_to_payment(r) for r in await conn.execute(stmt)]

    @unavailable_on_db_loss
    async def by_tranches(self, tranche_keys: list[str]) -> list[PaymentRow]:
        if not tranche_keys:
            return []
        stmt = (
            select(payments)
            .where(payments.c.tranche_key.in_(sorted(set(tranche_keys))))
            .order_by(payments.c.tranche_key, payments.c.attempt)
        )
        async with self._engine.connect() as conn:
            return [row_to_payment(r) for r in await conn.execute(stmt)]

    @unavailable_on_db_loss
    async def paid_on(self, day: dt.date) -> list[PaymentRow]:
        start, end = jakarta_day_bounds(day)
        stmt = (
            select(payments)
            .where(
                payments.c.settled_at >= start,
                payments.c.settled_at < end,
                payments.c.status == PaymentStatus.PAID.value,
            )
            .order_by(payments.c.settled_at, payments.c.key)
        )
        async with self._engine.connect() as conn:
            return [row_to_payment(r) for r in await conn.execute(stmt)]
