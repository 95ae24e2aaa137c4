"""Engine construction; one engine per process, built by a composition root."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


# No pre-ping: it cost a round trip per checkout (8% of worker CPU). A dead connection fails the call,
# SQLAlchemy invalidates the pool, activities retry and the API answers TEMPORARILY_UNAVAILABLE.
def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 5, pre_ping: bool = False) -> AsyncEngine:
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=pre_ping, pool_recycle=1800
    )
