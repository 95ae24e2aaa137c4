"""Sends what the outbox holds through the gateway; a failure is marked for a later retry, never raised.

Log lines carry the outbox ID, kind and channel only: never the recipient or the body (an OTP, a card number).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable

from domain.notifications import Notification
from domain.training.ports import NotificationOutbox, NotificationSender

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
            sent = await asyncio.gather(*(self._deliver(outbox_id, n) for outbox_id, n in claimed))
            done = [outbox_id for outbox_id in sent if outbox_id is not None]
            if done:  # the batch's successes in one statement
                await self._recorded(self._outbox.mark_sent(done), ", ".join(map(str, done)))
        return len(claimed)

    async def _deliver(self, outbox_id: int, n: Notification) -> int | None:
        """The outbox ID once sent; a failure is marked for a retry here and gives ``None``."""
        try:
            await self._sender.send(n.channel, n.recipient, n.body, dedupe_key=n.dedupe_key)
        except Exception as exc:
            log.warning("notification %d (%s, %s) not sent: %s", outbox_id, n.kind, n.channel, type(exc).__name__)
            error = f"{type(exc).__name__}: {exc}"
            await self._recorded(self._outbox.mark(outbox_id, sent=False, error=error), str(outbox_id))
            return None
        return outbox_id

    async def _recorded(self, marking: Awaitable[None], ids: str) -> None:
        try:
            await marking
        except Exception as exc:
            # The lease runs out and the notification is claimed again; the gateway de-duplicates the resend.
            log.warning("notification %s: outcome not recorded: %s", ids, type(exc).__name__)

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
