"""The fake payment partner's asynchronous mode: it accepts a transfer at once (``PENDING``) and settles it
``settle_at`` later to the outcome it decided when accepting. Anyone asking after ``settle_at`` (``transfer``,
``transfer_status``) settles it in the partner's books; the partner's back office (:class:`SettlementReporter`)
settles what is due and reports each result to the programme (``reportTransfer``), sometimes twice and out of
order, as real disbursement callbacks arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.payments.partner_books import PartnerTransfer, transfer_of

_SETTLE = """
UPDATE fake_partner_transfers SET outcome = final_outcome, code = final_code, at = now(),
  partner_ref = CASE WHEN final_outcome = 'PAID' THEN 'TRX-' || upper(substr(md5(random()::text || key), 1, 12)) END
WHERE key IN (SELECT key FROM fake_partner_transfers WHERE outcome = 'PENDING' AND settle_at <= now() {only}
              ORDER BY settle_at LIMIT :limit FOR UPDATE SKIP LOCKED)
RETURNING *"""

Report = Callable[[PartnerTransfer], Awaitable[None]]
"""Tells the programme one transfer's result (the ``reportTransfer`` mutation, in tests and the benchmark)."""


async def settle_if_due(conn: AsyncConnection, stored: Any) -> Any:
    """The row of a transfer, settled first if it was PENDING and its time has come."""
    if stored.outcome != "PENDING" or stored.settle_at > dt.datetime.now(dt.UTC):
        return stored
    settled = (await conn.execute(text(_SETTLE.format(only="AND key = :key")), {"key": stored.key, "limit": 1})).first()
    if settled is not None:
        return settled
    again = text("SELECT * FROM fake_partner_transfers WHERE key = :key")
    return (await conn.execute(again, {"key": stored.key})).first()


async def settle_due(engine: AsyncEngine, *, limit: int = 500) -> list[PartnerTransfer]:
    """Settle every PENDING transfer whose time has come (the partner's batch); the transfers settled now."""
    async with engine.begin() as conn:
        rows = (await conn.execute(text(_SETTLE.format(only="")), {"limit": limit})).all()
    return [transfer_of(r) for r in rows]


async def due_now(engine: AsyncEngine, key_prefix: str) -> int:
    """Back office (tests): the PENDING transfers whose key starts with ``key_prefix`` settle at the next ask."""
    stmt = text(
        "UPDATE fake_partner_transfers SET settle_at = now() WHERE outcome = 'PENDING' AND starts_with(key, :prefix)"
    )
    async with engine.begin() as conn:
        return (await conn.execute(stmt, {"prefix": key_prefix})).rowcount


class SettlementReporter:
    """The partner's back office: settles due transfers every ``interval`` and reports each one after a random
    delay within ``reorder`` seconds (so reports arrive out of order), a second time with ``duplicate_rate``, never
    with ``drop_rate`` (a lost callback: the programme's status check finds the result)."""

    def __init__(
        self,
        engine: AsyncEngine,
        report: Report,
        *,
        interval: float = 0.2,
        reorder: float = 0.5,
        duplicate_rate: float = 0.0,
        drop_rate: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self._engine, self._report = engine, report
        self.interval, self.reorder, self.duplicate_rate = interval, reorder, duplicate_rate
        self.drop_rate = drop_rate
        self.dropped = 0
        self._rng = random.Random(seed)
        self._sending: set[asyncio.Task[None]] = set()
        self.reported = 0
        self.failed_reports = 0

    async def tick(self) -> int:
        """Settle what is due and schedule its reports; how many transfers settled."""
        settled = await settle_due(self._engine)
        for t in settled:
            if self._rng.random() < self.drop_rate:
                self.dropped += 1
                continue
            copies = 2 if self._rng.random() < self.duplicate_rate else 1
            for _ in range(copies):
                task = asyncio.create_task(self._send(t, self._rng.uniform(0, self.reorder)))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)
        return len(settled)

    async def _send(self, t: PartnerTransfer, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await self._report(t)
            self.reported += 1
        except Exception:  # a lost callback: the programme's status check finds the result
            self.failed_reports += 1

    async def drain(self) -> None:
        """Wait for the reports already scheduled."""
        while self._sending:
            await asyncio.gather(*list(self._sending))

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[SettlementReporter]:
        """Tick in the background while the block runs; stop and deliver the scheduled reports after it."""

        async def loop() -> None:
            while True:
                with contextlib.suppress(Exception):  # the books unreachable for a moment: next tick
                    await self.tick()
                await asyncio.sleep(self.interval)

        ticking = asyncio.create_task(loop())
        try:
            yield self
        finally:
            ticking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticking
            await self.drain()
