"""Per-partner token buckets for the redeem-code REST API: one partner's burst never slows another partner.

Each client code has a bucket of ``burst`` tokens refilled at ``rate`` tokens per second; a request takes one
token or is refused with the seconds until the next token. Buckets are keyed only by client codes whose signature
was verified, so their number is bounded by the partner registry and a forged ``client_code`` header cannot drain a
real partner's bucket.

Where the buckets live is a :class:`RateLimit` port: :class:`RateLimiter` keeps them in the process (tests, dev: a
second server process has its own); ``adapters.db.rate_limit.PgRateLimiter`` keeps them in PostgreSQL, so the limit
holds across every API replica (docs/deploy.md, "Replicas").
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

DEFAULT_RATE = 50.0
"""Sustained requests per second per partner."""
DEFAULT_BURST = 100
"""Requests a partner may send at once after being idle."""


class RateLimit(Protocol):
    """Takes one token of a partner's bucket: ``0.0`` if the request may go on, else the seconds until a token is
    free. May raise ``domain.errors.StoreUnavailable`` (the endpoint answers 503)."""

    async def take(self, key: str) -> float: ...


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float
    """Clock reading when ``tokens`` was last brought up to date."""


class RateLimiter:
    """Token buckets per key (a partner's client code), on an injectable monotonic clock in seconds."""

    def __init__(
        self,
        *,
        rate: float = DEFAULT_RATE,
        burst: int = DEFAULT_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str) -> float:
        """Take a token for ``key``: ``0.0`` if the request may go on, else the seconds until a token is free.

        Synchronous on purpose: with no ``await`` inside, concurrent requests on the event loop cannot both take
        the last token.
        """
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        else:
            elapsed = max(0.0, now - bucket.at)  # a clock that steps back never adds tokens
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
            bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    async def take(self, key: str) -> float:
        """:class:`RateLimit`: :meth:`acquire`, in this process only."""
        return self.acquire(key)


def retry_after(wait: float) -> str:
    """A ``Retry-After`` value: whole seconds, at least 1 (the header takes no fractions)."""
    return str(max(1, math.ceil(wait)))
