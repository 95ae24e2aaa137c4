"""Sends what the outbox holds through the gateway; a failure is marked for a later retry, never raised.

Log lines carry the outbox ID, kind and channel only: never the recipient or the body (an OTP, a card number).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from domain.market_ports import NotificationOutbox, NotificationSender
from domain.notifications import Notification

log = logging.getLogger(__name__)


class OutboxDispatcher:
    def __init__(
        self, outbox: NotificationOutbox, sender: NotificationSender, *, batch: int = 50, idle_sleep: float = 0.5
    ) -> None:
        self._outbox = outbox
        self._sender = sender
        self._batch = batch
        self._idle_sleep = idle_sleep

    async def run_once(self) -> int:
        """Claim one batch and send it concurrently; returns how many notifications were claimed."""
        claimed = await self._outbox.claim(self._batch)
        if claimed:
            await asyncio.gather(*(self._deliver(outbox_id, n) for outbox_id, n in claimed))
        return len(claimed)

    async def _deliver(self, outbox_id: int, n: Notification) -> None:
        try:
            await self._sender.send(n.channel, n.recipient, n.body, dedupe_key=n.dedupe_key)
        except Exception as exc:
            log.warning("notification %d (%s, %s) not sent: %s", outbox_id, n.kind, n.channel, type(exc).__name__)
            await self._mark(outbox_id, sent=False, error=f"{type(exc).__name__}: {exc}")
        else:
            await self._mark(outbox_id, sent=True)

    async def _mark(self, outbox_id: int, *, sent: bool, error: str = "") -> None:
        try:
            await self._outbox.mark(outbox_id, sent=sent, error=error)
        except Exception as exc:
            # The lease runs out and the notification is claimed again; the gateway de-duplicates the resend.
            log.warning("notification %d: outcome not recorded: %s", outbox_id, type(exc).__name__)

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: drain the outbox, then poll every ``idle_sleep`` seconds."""
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception as exc:
                log.warning("outbox dispatcher: claim failed: %s", type(exc).__name__)
                claimed = 0
            if claimed < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._idle_sleep)
