"""Schedules with a quota, seat claims, course requirements and purchases by the platform's invoice code in
PostgreSQL: the ``domain.schedules.PartnerApiStore`` port."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.attendance_emails import PgAttendanceEmails
from adapters.db.engine import autocommit
from adapters.db.sandbox_codes import PgSandboxCodes
from adapters.db.schedule_tables import course_requirements, course_schedules, schedule_seats
from adapters.db.tables import vouchers
from adapters.db.unavailable import unavailable_on_db_loss
from domain.training.schedules import PurchaseRow, Requirements, Schedule


class PgPartnerApiStore(PgSandboxCodes, PgAttendanceEmails):
    """Implements ``domain.schedules.PartnerApiStore`` (with the sandbox's codes and url-generate's e-mails).

    One-statement reads and the seat claim run without an explicit transaction (``autocommit``): one round trip
    each instead of three; the partner REST API makes several per call (bench.partner_api)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)

    @staticmethod
    def _schedule_of(row: Any) -> Schedule:
        return Schedule(
            row.schedule_code, row.course_code, row.starts_at, row.ends_at, row.quota, row.taken, row.sandbox
        )

    @unavailable_on_db_loss
    async def schedule(self, schedule_code: str) -> Schedule | None:
        async with self._single.connect() as conn:
            row = (
                await conn.execute(select(course_schedules).where(course_schedules.c.schedule_code == schedule_code))
            ).first()
        return None if row is None else self._schedule_of(row)

    @unavailable_on_db_loss
    async def upsert_schedule(self, schedule: Schedule) -> None:
        values = {
            "schedule_code": schedule.schedule_code,
            "course_code": schedule.course_code,
            "starts_at": schedule.starts_at,
            "ends_at": schedule.ends_at,
            "quota": schedule.quota,
            "sandbox": schedule.sandbox,
        }
        stmt = insert(course_schedules).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[course_schedules.c.schedule_code],
            set_={k: stmt.excluded[k] for k in ("course_code", "starts_at", "ends_at", "quota", "sandbox")},
        )
        try:
            async with self._engine.begin() as conn:
                await conn.execute(stmt)
        except Exception as exc:  # the CHECK taken <= quota
            if "ck_schedule_seats" in str(exc):
                raise ValueError("the quota is below the seats already taken") from exc
            raise

    @unavailable_on_db_loss
    async def requirements(self, course_code: str) -> Requirements:
        async with self._single.connect() as conn:
            row = (
                await conn.execute(select(course_requirements).where(course_requirements.c.course_code == course_code))
            ).first()
        if row is None:
            return Requirements()
        return Requirements(row.min_age, row.max_age, row.min_education)

    @unavailable_on_db_loss
    async def set_requirements(self, course_code: str, requirements: Requirements) -> None:
        values = {
            "min_age": requirements.min_age,
            "max_age": requirements.max_age,
            "min_education": requirements.min_education,
        }
        stmt = insert(course_requirements).values(course_code=course_code, **values)
        async with self._engine.begin() as conn:
            await conn.execute(
                stmt.on_conflict_do_update(index_elements=[course_requirements.c.course_code], set_=values)
            )

    @unavailable_on_db_loss
    async def claim_seat(self, purchase_key: str, schedule_code: str, invoice_url: str, at: dt.datetime) -> str:
        """One autocommit insert in the usual case (a first claim); the stored claim's schedule read after a
        conflict (a retry, or the key used for another schedule)."""
        claim = (
            insert(schedule_seats)
            .values(purchase_key=purchase_key, schedule_code=schedule_code, invoice_url=invoice_url, created_at=at)
            .on_conflict_do_nothing(index_elements=[schedule_seats.c.purchase_key])
            .returning(schedule_seats.c.schedule_code)
        )
        async with self._single.connect() as conn:
            claimed = await conn.scalar(claim)
            if claimed is None:
                claimed = await conn.scalar(
                    select(schedule_seats.c.schedule_code).where(schedule_seats.c.purchase_key == purchase_key)
                )
        return str(claimed)

    @unavailable_on_db_loss
    async def purchase(self, purchase_key: str) -> PurchaseRow | None:
        query = (
            select(vouchers, schedule_seats.c.schedule_code)
            .select_from(vouchers.outerjoin(schedule_seats, schedule_seats.c.voucher_code == vouchers.c.voucher_code))
            .where(vouchers.c.purchase_key == purchase_key)
        )
        async with self._single.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return PurchaseRow(
            row.purchase_key,
            row.case_id,
            row.voucher_code,
            row.redeem_code,
            row.invoice_code,
            row.course_code,
            row.platform_code,
            row.price,
            row.status,
            row.created_at,
            row.schedule_code,
        )

    @unavailable_on_db_loss
    async def schedule_of_voucher(self, voucher_code: str) -> Schedule | None:
        query = (
            select(course_schedules)
            .select_from(
                schedule_seats.join(
                    course_schedules, course_schedules.c.schedule_code == schedule_seats.c.schedule_code
                )
            )
            .where(schedule_seats.c.voucher_code == voucher_code)
        )
        async with self._single.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else self._schedule_of(row)
