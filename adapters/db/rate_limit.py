"""The partner REST API's token buckets in PostgreSQL, shared by every API replica: ``caseapi.rest.RateLimit``.

One row per partner (``partner_rate_buckets``), brought up to date and debited by one autocommit UPSERT per request
on the database's clock, so replicas' clocks never matter and two replicas cannot both take the last token (the
row lock orders them). The table holds one small row per partner that ever called: nothing to prune.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.unavailable import unavailable_on_db_loss

_TAKE = text(
    """
INSERT INTO partner_rate_buckets AS b (client_code, tokens, refreshed_at, granted)
VALUES (:key, :burst - 1, now(), true)
ON CONFLICT (client_code) DO UPDATE SET
  tokens = least(:burst, b.tokens + :rate * greatest(0, extract(epoch FROM now() - b.refreshed_at)))
    - CASE WHEN least(:burst, b.tokens + :rate * greatest(0, extract(epoch FROM now() - b.refreshed_at))) >= 1
      THEN 1 ELSE 0 END,
  granted = least(:burst, b.tokens + :rate * greatest(0, extract(epoch FROM now() - b.refreshed_at))) >= 1,
  refreshed_at = greatest(b.refreshed_at, now())
RETURNING granted, tokens
"""
)
"""The bucket refilled up to now (``now()``: the statement's start, the same in every expression), then debited
when it holds a whole token; ``granted`` says which."""


class PgRateLimiter:
    """Buckets of ``burst`` tokens refilled at ``rate`` per second, one per client code, in PostgreSQL."""

    def __init__(self, engine: AsyncEngine, *, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self._single = autocommit(engine)  # one statement: atomic on its own
        self.rate = float(rate)
        self.burst = burst

    @unavailable_on_db_loss
    async def take(self, key: str) -> float:
        async with self._single.connect() as conn:
            granted, tokens = (
                await conn.execute(_TAKE, {"key": key, "rate": self.rate, "burst": float(self.burst)})
            ).one()
        return 0.0 if granted else (1.0 - tokens) / self.rate
