"""Engine construction; one engine per process, built by a composition root."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any, cast

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


# No pre-ping: it cost a round trip per checkout (8% of worker CPU). A dead connection fails the call,
# SQLAlchemy invalidates the pool, activities retry and the API answers TEMPORARILY_UNAVAILABLE.
def make_engine(
    url: str, *, pool_size: int = 10, max_overflow: int = 5, pre_ping: bool = False, pooler: str = ""
) -> AsyncEngine:
    """``pooler="transaction"`` (``DATABASE_POOLER``): ``url`` is a pgbouncer in transaction pooling, where a
    server connection is ours only until the transaction ends. asyncpg then caches no prepared statements and
    SQLAlchemy names each one uniquely (a statement left on a server connection by another client never collides),
    and :func:`autocommit` stores still run inside a transaction (docs/deploy.md, "PostgreSQL behind pgbouncer")."""
    if pooler not in ("", "transaction"):
        raise ValueError(f"DATABASE_POOLER={pooler!r}: expected 'transaction' or nothing")
    extra: dict[str, Any] = {}
    if pooler == "transaction":
        extra["connect_args"] = {
            "statement_cache_size": 0,  # asyncpg's own cache
            "prepared_statement_cache_size": 0,  # SQLAlchemy's asyncpg dialect cache
            "prepared_statement_name_func": lambda: f"__asyncpg_{uuid.uuid4().hex}__",
        }
        extra["execution_options"] = {_POOLER_OPTION: pooler}
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=pre_ping, pool_recycle=1800, **extra
    )


_POOLER_OPTION = "prakerja_pooler"


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The same pool without explicit transactions, for a read or a write that is one statement (atomic on its
    own, triggers included): one round trip instead of BEGIN, the statement and COMMIT/ROLLBACK. On the status
    page and the read-model projection that wrapping cost about a tenth of the processes' CPU (profiled).

    Behind a transaction pooler each ``connect()`` is a transaction committed on success instead: asyncpg prepares
    and executes a statement in two round trips, and outside a transaction pgbouncer may hand the second to
    another server connection, where the statement does not exist."""
    if engine.get_execution_options().get(_POOLER_OPTION) == "transaction":
        return cast(AsyncEngine, _TransactionEach(engine))
    return engine.execution_options(isolation_level="AUTOCOMMIT")


class _TransactionEach:
    """An engine whose ``connect()`` is ``begin()``: commits when the block ends without an error."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def connect(self) -> Any:
        return self._engine.begin()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


async def wait_until_reachable(engine: AsyncEngine, *, within: float = 120.0) -> None:
    """Start-up while PostgreSQL is down or restarting: wait for it (logged) instead of exiting."""
    deadline = time.monotonic() + within
    while True:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return
        except (OSError, DBAPIError) as exc:
            if time.monotonic() > deadline:
                raise
            logging.warning("database unreachable (%s); retrying", type(exc).__name__)
            await asyncio.sleep(1.0)
