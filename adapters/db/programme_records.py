"""The programme's own records as a registry: blacklist, earlier recipients, household selections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.tables import blacklist, recipients
from domain.application.registries import Answer, PersonQuery, Registry, RegistryAnswer


def _lookup(query: PersonQuery) -> Select[tuple[bool, bool, int]]:
    """Blacklisted, an earlier recipient, and how many others of the household were selected: one statement."""
    others = recipients.c.kk_index == query.kk_index, recipients.c.case_id != query.case_id
    return select(
        exists().where(blacklist.c.nik_index == query.case_id),
        exists().where(recipients.c.case_id == query.case_id),
        select(func.count()).select_from(recipients).where(*others).scalar_subquery(),
    )


class PgProgrammeRecords:
    """Implements ``RegistryPort`` for ``Registry.PROGRAMME`` over PostgreSQL."""

    registry = Registry.PROGRAMME

    def __init__(self, engine: AsyncEngine) -> None:
        self._single = autocommit(engine)  # the three checks are one statement: no BEGIN/ROLLBACK round trips

    async def lookup(self, query: PersonQuery) -> RegistryAnswer:
        now = dt.datetime.now(dt.UTC)
        try:
            async with self._single.connect() as conn:
                banned, recipient, household = (await conn.execute(_lookup(query))).one()
        except OSError as exc:
            return RegistryAnswer(self.registry, Answer.UNAVAILABLE, now, detail=type(exc).__name__)
        codes = [f"KK_SELECTED:{household}"]
        if banned:
            codes.append("BLACKLIST")
        if recipient:
            codes.append("RECIPIENT")
        return RegistryAnswer(self.registry, Answer.FOUND, now, memberships=tuple(codes))
