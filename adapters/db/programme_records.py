"""The programme's own records as a registry: blacklist, earlier recipients, household selections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.tables import blacklist, recipients
from domain.registries import Answer, PersonQuery, Registry, RegistryAnswer


class PgProgrammeRecords:
    """Implements ``RegistryPort`` for ``Registry.PROGRAMME`` over PostgreSQL."""

    registry = Registry.PROGRAMME

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def lookup(self, query: PersonQuery) -> RegistryAnswer:
        now = dt.datetime.now(dt.UTC)
        try:
            async with self._engine.connect() as conn:
                banned = (
                    await conn.execute(select(blacklist.c.reason).where(blacklist.c.nik_index == query.case_id))
                ).first()
                recipient = (
                    await conn.execute(select(recipients.c.case_id).where(recipients.c.case_id == query.case_id))
                ).first()
                household = (
                    await conn.execute(
                        select(func.count())
                        .select_from(recipients)
                        .where(recipients.c.kk_index == query.kk_index, recipients.c.case_id != query.case_id)
                    )
                ).scalar_one()
        except OSError as exc:
            return RegistryAnswer(self.registry, Answer.UNAVAILABLE, now, detail=type(exc).__name__)
        codes = [f"KK_SELECTED:{household}"]
        if banned is not None:
            codes.append("BLACKLIST")
        if recipient is not None:
            codes.append("RECIPIENT")
        return RegistryAnswer(self.registry, Answer.FOUND, now, memberships=tuple(codes))
