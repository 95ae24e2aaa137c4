"""A fake SMS / e-mail gateway for development and tests: latency, failures, de-duplication on the key."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from domain.notifications import Channel


class GatewayError(Exception):
    """The gateway refused or timed out; the dispatcher retries later."""


@dataclass(frozen=True, slots=True)
class SentMessage:
    channel: Channel
    recipient: str
    body: str
    dedupe_key: str


class FakeSmsGateway:
    """Implements ``domain.market_ports.NotificationSender``.

    ``sent`` lists every message actually delivered, once per dedupe key (tests read OTPs from it).
    """

    def __init__(
        self, *, latency: tuple[float, float] = (0.0, 0.0), failure_rate: float = 0.0, seed: int | None = 0
    ) -> None:
        if not 0.0 <= failure_rate <= 1.0:
            raise ValueError("failure_rate must be within [0, 1]")
        self._latency = latency
        self._failure_rate = failure_rate
        self._rnd = random.Random(seed)
        self._ids: dict[str, str] = {}
        self.sent: list[SentMessage] = []
        self.calls = 0
        """Every call to ``send``, including failed and de-duplicated ones."""
        self.failures = 0

    async def send(self, channel: Channel, recipient: str, body: str, *, dedupe_key: str) -> str:
        self.calls += 1
        if dedupe_key in self._ids:
            return self._ids[dedupe_key]
        low, high = self._latency
        delay = self._rnd.uniform(low, high) if high > 0 else 0.0
        fails = self._rnd.random() < self._failure_rate
        await asyncio.sleep(delay)
        if fails:
            self.failures += 1
            raise GatewayError("gateway unavailable (simulated)")
        if dedupe_key in self._ids:  # a concurrent send of the same key finished first
            return self._ids[dedupe_key]
        message_id = f"msg-{len(self._ids) + 1:08d}"
        self._ids[dedupe_key] = message_id
        self.sent.append(SentMessage(Channel(channel), recipient, body, dedupe_key))
        return message_id

    def last(self, *, recipient: str | None = None, dedupe_prefix: str = "") -> SentMessage | None:
        """The newest delivered message to ``recipient`` whose dedupe key starts with ``dedupe_prefix``."""
        for m in reversed(self.sent):
            if (recipient is None or m.recipient == recipient) and m.dedupe_key.startswith(dedupe_prefix):
                return m
        return None
