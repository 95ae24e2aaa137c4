"""The notification outbox read back for the development inbox (``caseapi.dev_inbox.SentMessages``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.marketplace import notification_from_row
from adapters.db.tables import notifications
from domain.notifications import Notification


class PgSentMessages:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def recent(self, *, limit: int, recipient: str | None = None) -> list[Notification]:
        query = select(notifications).order_by(notifications.c.id.desc()).limit(limit)
        if recipient is not None:
            query = query.where(notifications.c.recipient == recipient)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [notification_from_row(r) for r in rows]
