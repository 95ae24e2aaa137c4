"""The change feed over PostgreSQL LISTEN/NOTIFY: one listening connection per process, fanned out to every
subscriber's bounded queue. The notifications are raised by triggers on the read model and the staff queues,
so a subscription never polls Temporal or the tables."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.change_feed import ROUTING_KEYS

log = logging.getLogger(__name__)
QUEUE_SIZE = 256


def expand(batch: dict[str, Any], *, everyone: bool, keyed: dict[str, Any]) -> list[dict[str, Any]]:
    """A batch of case changes (``adapters.db.wave_announce``) as the per-case messages the trigger raises; only
    those someone listens to (an unkeyed subscriber hears every change; a participant, their own account)."""
    shared = {k: batch[k] for k in ("stage", "next_action", "updated_at")}
    return [
        {"account_id": account, "case_id": case_id, "province_code": province, "version": version, **shared}
        for account, case_id, province, version in batch["changes"]
        if everyone or account in keyed
    ]


def lag_seconds(message: dict[str, Any]) -> float | None:
    """Seconds from the change (``updated_at``: the workflow's time of it) to now; ``None`` without one."""
    try:
        at = dt.datetime.fromisoformat(message["updated_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return (dt.datetime.now(dt.UTC) - at).total_seconds() if at.tzinfo else None


class PgChangeFeed:
    def __init__(
        self, engine: AsyncEngine, channels: tuple[str, ...], *, lag: Callable[[str, float], None] | None = None
    ) -> None:
        """``lag(channel, seconds)`` observes each notification's delay (the API's ``prakerja.change_feed.lag``)."""
        self._engine = engine
        self._lag = lag
        self._channels = channels
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {c: set() for c in channels}
        self._keyed: dict[str, dict[str, set[asyncio.Queue[dict[str, Any]]]]] = {c: {} for c in channels}
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()
        self._closed = False
        self._reconnecting: asyncio.Task[None] | None = None
        self.reconnects = 0

    async def _listen(self) -> None:
        async with self._lock:
            if self._conn is not None:
                return
            conn = await self._engine.connect()
            raw = (await conn.get_raw_connection()).driver_connection
            for channel in self._channels:
                await raw.add_listener(channel, self._deliver)  # type: ignore[union-attr]
            raw.add_termination_listener(self._lost)  # type: ignore[union-attr]
            self._conn = conn

    def _lost(self, _conn: Any) -> None:
        """PostgreSQL restarted or the connection was cut: listen again as soon as it answers (with backoff).
        Notifications sent meanwhile are lost; subscribers keep their subscription and get what follows."""
        dead, self._conn = self._conn, None
        if dead is not None:
            dead.sync_connection.invalidate()  # type: ignore[union-attr]
        if not self._closed and (self._reconnecting is None or self._reconnecting.done()):
            log.warning("change feed connection lost; reconnecting")
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = 0.2
        while not self._closed and self._conn is None:
            try:
                await self._listen()
                self.reconnects += 1
                log.info("change feed listening again")
            except (OSError, DBAPIError):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _deliver(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            log.warning("ignored a malformed notification on %s", channel)
            return
        if self._lag is not None and (seconds := lag_seconds(message)) is not None:
            self._lag(channel, seconds)
        if "changes" in message:  # a batch (a wave's results): one message per change that has a subscriber
            for change in expand(message, everyone=bool(self._subscribers.get(channel)), keyed=self._keyed[channel]):
                self._route(channel, change)
            return
        self._route(channel, message)

    def _route(self, channel: str, message: dict[str, Any]) -> None:
        field = ROUTING_KEYS.get(channel)
        keyed = self._keyed.get(channel, {}).get(message.get(field)) if field else None
        for queue in [*self._subscribers.get(channel, ()), *(keyed or ())]:
            if queue.full():  # a slow subscriber loses its oldest message, never blocks the others
                queue.get_nowait()
            queue.put_nowait(message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str, *, key: str | None = None) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        """A keyed subscriber is found by its key (one dictionary lookup per message), not by scanning them all."""
        if channel not in self._subscribers:
            raise ValueError(f"unknown channel {channel!r}")
        if key is not None and channel not in ROUTING_KEYS:
            raise ValueError(f"channel {channel!r} is not routed by key")
        await self._listen()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        group = self._subscribers[channel] if key is None else self._keyed[channel].setdefault(key, set())
        group.add(queue)

        async def messages() -> AsyncIterator[dict[str, Any]]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            group.discard(queue)
            if key is not None and not group:
                self._keyed[channel].pop(key, None)

    async def close(self) -> None:
        self._closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
