"""Seats on a schedule, taken and given back inside the ledger's own transactions (``PgTrainingLedger``).

A partner's purchase on a schedule first books a *claim* (``schedule_seats`` row, purchase key → schedule, no
voucher yet, see ``PgPartnerApiStore.claim_seat``). ``take_seat`` runs in ``record_purchase``'s transaction before
the voucher and the debit are written: one conditional UPDATE takes the seat or finds the schedule full, so two
purchases can never both get the last seat. ``release_seat`` runs in ``cancel_voucher``'s transaction. A purchase
without a claim (the GraphQL ``purchaseTraining``) takes no seat.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.db.schedule_tables import course_schedules, schedule_seats


async def take_seat(conn: AsyncConnection, purchase_key: str) -> bool:
    """Take the claimed seat of ``purchase_key``; ``False`` when its schedule is full (nothing changed).

    ``True`` also when the purchase claimed no seat. Call :func:`bind_seat` once the voucher exists.
    """
    claim = (
        await conn.execute(
            select(schedule_seats.c.schedule_code, schedule_seats.c.voucher_code).where(
                schedule_seats.c.purchase_key == purchase_key
            )
        )
    ).first()
    if claim is None or claim.voucher_code is not None:
        return True
    taken = await conn.execute(
        update(course_schedules)
        .where(
            course_schedules.c.schedule_code == claim.schedule_code,
            course_schedules.c.taken < course_schedules.c.quota,
        )
        .values(taken=course_schedules.c.taken + 1)
    )
    return taken.rowcount == 1


async def bind_seat(conn: AsyncConnection, purchase_key: str, voucher_code: str) -> None:
    """The claimed seat now belongs to the voucher (no-op without a claim)."""
    await conn.execute(
        update(schedule_seats)
        .where(schedule_seats.c.purchase_key == purchase_key, schedule_seats.c.voucher_code.is_(None))
        .values(voucher_code=voucher_code)
    )


async def release_seat(conn: AsyncConnection, voucher_code: str) -> None:
    """Give the voucher's seat back, once (no-op for a voucher without a seat or already released)."""
    released = (
        await conn.execute(
            update(schedule_seats)
            .where(schedule_seats.c.voucher_code == voucher_code, schedule_seats.c.released_at.is_(None))
            .values(released_at=func.now())
            .returning(schedule_seats.c.schedule_code)
        )
    ).first()
    if released is not None:
        await conn.execute(
            update(course_schedules)
            .where(course_schedules.c.schedule_code == released.schedule_code)
            .values(taken=course_schedules.c.taken - 1)
        )
