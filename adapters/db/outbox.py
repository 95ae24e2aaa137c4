"""The notification outbox in PostgreSQL: the ``NotificationOutbox`` port.

``claim`` leases rows: they become ``SENDING`` with ``next_attempt_at`` = now + lease. A dispatcher that
crashes mid-batch leaves its rows ``SENDING``; once the lease runs out any dispatcher claims them again (the
gateway de-duplicates on the dedupe key, so a message is delivered once even if it is sent twice).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.marketplace import notification_from_row, text_to_json
from adapters.db.tables import notifications as outbox_table
from adapters.db.unavailable import unavailable_on_db_loss
from domain.notifications import Channel, Notification
from domain.phones import normalised

# One statement for any number of rows (executed with a list of rows: compiled once and cached; a multi-row
# ``values([...])`` is a new statement, compiled again, for each count of rows).
_ADD = (
    insert(outbox_table).on_conflict_do_nothing(index_elements=[outbox_table.c.dedupe_key]).returning(outbox_table.c.id)
)
_CLAIM = text(
    """
    WITH due AS (
      SELECT id FROM notifications
      WHERE status IN ('PENDING', 'SENDING') AND (next_attempt_at IS NULL OR next_attempt_at <= now())
      ORDER BY next_attempt_at NULLS FIRST, id
      LIMIT :limit
      FOR UPDATE SKIP LOCKED
    )
    UPDATE notifications n SET status = 'SENDING', next_attempt_at = now() + make_interval(secs => :lease)
    FROM due WHERE n.id = due.id
    RETURNING n.*
    """
)

_SENT = text(
    """
    UPDATE notifications SET status = 'SENT', sent_at = now(), next_attempt_at = NULL, last_error = NULL
    WHERE id = ANY(CAST(:ids AS bigint[])) AND status <> 'SENT'
    """
)

# attempts on the right-hand side is the value before this update.
_FAILED = text(
    """
    UPDATE notifications SET
      attempts = attempts + 1,
      last_error = :error,
      status = CASE WHEN attempts + 1 >= :max_attempts THEN 'FAILED' ELSE 'PENDING' END,
      next_attempt_at = CASE WHEN attempts + 1 >= :max_attempts THEN NULL
        ELSE now() + make_interval(secs => LEAST(:base * power(2, attempts), :cap) * (0.8 + 0.4 * random())) END
    WHERE id = :id AND status IN ('PENDING', 'SENDING')
    """
)


class PgOutbox:
    """Implements ``domain.market_ports.NotificationOutbox``.

    A failed send is retried after ``base_backoff * 2^(attempts-1)`` (±20 %, at most ``max_backoff``) and the
    notification is ``FAILED`` after ``max_attempts`` failures.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        lease: dt.timedelta = dt.timedelta(seconds=60),
        base_backoff: dt.timedelta = dt.timedelta(seconds=5),
        max_backoff: dt.timedelta = dt.timedelta(minutes=30),
        max_attempts: int = 8,
    ) -> None:
        self._engine = autocommit(engine)  # every method is one statement
        self._lease = lease.total_seconds()
        self._base = base_backoff.total_seconds()
        self._cap = max_backoff.total_seconds()
        self._max_attempts = max_attempts

    @unavailable_on_db_loss
    async def add(self, notifications: tuple[Notification, ...]) -> int:
        if not notifications:
            return 0
        rows = [
            {
                "dedupe_key": n.dedupe_key,
                "case_id": n.case_id,
                "channel": n.channel.value,
                # E.164 for the SMS gateway, also from workflows that still hold a phone as it was typed.
                "recipient": normalised(n.recipient) if n.channel is Channel.SMS else n.recipient,
                "kind": n.kind,
                "body": n.body,
                "message": text_to_json(n.text),
                "created_at": n.created_at,
                "status": "PENDING",
                "attempts": 0,
            }
            for n in notifications
        ]
        async with self._engine.connect() as conn:
            return len((await conn.execute(_ADD, rows)).all())

    @unavailable_on_db_loss
    async def claim(self, limit: int) -> list[tuple[int, Notification]]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_CLAIM, {"limit": limit, "lease": self._lease})).all()
        return [(int(r.id), notification_from_row(r)) for r in sorted(rows, key=lambda r: r.id)]

    @unavailable_on_db_loss
    async def mark_sent(self, outbox_ids: list[int]) -> None:
        async with self._engine.connect() as conn:
            await conn.execute(_SENT, {"ids": outbox_ids})

    @unavailable_on_db_loss
    async def mark(self, outbox_id: int, *, sent: bool, error: str = "") -> None:
        if sent:
            return await self.mark_sent([outbox_id])
        async with self._engine.connect() as conn:
            await conn.execute(
                _FAILED,
                {
                    "id": outbox_id,
                    "error": error[:500],
                    "max_attempts": self._max_attempts,
                    "base": self._base,
                    "cap": self._cap,
                },
            )
