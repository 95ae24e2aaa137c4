"""The sale gate (``SaleGate``): a live suspension of the course or its provider stops new purchases at once; a
course missing from the catalogue but with versions is awaiting (or failed) review."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.quality_tables import course_versions, suspensions
from adapters.db.unavailable import unavailable_on_db_loss
from domain.errors import ErrorCode


class PgSaleGate:
    def __init__(self, engine: AsyncEngine) -> None:
        self._single = autocommit(engine)

    @unavailable_on_db_loss
    async def refusal(self, course_code: str, provider_code: str) -> str | None:
        s = suspensions.c
        async with self._single.connect() as conn:
            kind = await conn.scalar(
                select(s.subject_kind)
                .where(
                    s.lifted_at.is_(None),
                    or_(
                        and_(s.subject_kind == "COURSE", s.subject_code == course_code),
                        and_(s.subject_kind == "PROVIDER", s.subject_code == provider_code),
                    ),
                )
                .order_by(s.subject_kind.desc())  # PROVIDER first: the wider reason
                .limit(1)
            )
        if kind is None:
            return None
        return (ErrorCode.PROVIDER_SUSPENDED if kind == "PROVIDER" else ErrorCode.COURSE_SUSPENDED).value

    @unavailable_on_db_loss
    async def awaiting_review(self, course_code: str, platform_code: str) -> bool:
        v = course_versions.c
        async with self._single.connect() as conn:
            found = await conn.scalar(
                select(v.id).where(v.course_code == course_code, v.platform_code == platform_code).limit(1)
            )
        return found is not None
