"""url-generate's one e-mail per training (``domain.training.attendance_emails``) in PostgreSQL: the first
participant to use an e-mail (its digest) for a course holds it; the primary key decides a race."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.schedule_tables import attendance_emails
from adapters.db.tables import vouchers
from adapters.db.unavailable import unavailable_on_db_loss


class PgAttendanceEmails:
    _engine: AsyncEngine

    @unavailable_on_db_loss
    async def bind_attendance_email(self, course_code: str, digest: str, redeem_code: str) -> bool:
        owner = select(
            literal(course_code), literal(digest), vouchers.c.case_id, vouchers.c.redeem_code,
            literal(dt.datetime.now(dt.UTC)),
        ).where(vouchers.c.redeem_code == redeem_code)  # fmt: skip
        bind = (
            insert(attendance_emails)
            .from_select(["course_code", "email_digest", "case_id", "redeem_code", "created_at"], owner)
            .on_conflict_do_nothing(index_elements=[attendance_emails.c.course_code, attendance_emails.c.email_digest])
        )
        holder = select(attendance_emails.c.case_id).where(
            attendance_emails.c.course_code == course_code, attendance_emails.c.email_digest == digest
        )
        participant = select(vouchers.c.case_id).where(vouchers.c.redeem_code == redeem_code)
        async with self._engine.begin() as conn:
            await conn.execute(bind)
            held_by = await conn.scalar(holder)
            case_id = await conn.scalar(participant)
        return held_by is None or held_by == case_id
