"""Alembic environment: async engine; the URL comes from ``adapters.db.migrate`` or, for the ``alembic`` CLI
(alembic.ini at the repository root), from ``DATABASE_URL``.

Online-safe defaults (docs/deploy.md "Migrations"): every migration runs in its own transaction, so a
revision that must build an index CONCURRENTLY can leave its transaction (``autocommit_block``) and what ran
before stays applied; the session sets ``lock_timeout`` (a DDL statement waiting behind a long transaction
gives up instead of queueing every reader and writer of the table behind it) and ``statement_timeout``.
``alembic upgrade <a>:<b> --sql`` renders the same statements without a database (``make lint`` lints them
with squawk).
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.db.tables import metadata

config = context.config
if config.config_file_name is not None:  # the alembic CLI; adapters.db.migrate leaves logging to the process
    fileConfig(config.config_file_name, disable_existing_loggers=False)

LOCK_TIMEOUT = os.environ.get("MIGRATION_LOCK_TIMEOUT", "5s")
"""How long one DDL statement may wait for its lock; on expiry the migration fails and is simply run again."""
STATEMENT_TIMEOUT = os.environ.get("MIGRATION_STATEMENT_TIMEOUT", "30min")
"""Upper bound of one statement (a CONCURRENTLY index build over the whole ``cases`` table is the longest)."""


def _timeouts() -> list[str]:
    return [f"SET lock_timeout = '{LOCK_TIMEOUT}'", f"SET statement_timeout = '{STATEMENT_TIMEOUT}'"]


def _database_url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("set DATABASE_URL (postgresql+asyncpg://user:password@host:5432/dbname)")
    return url


def _offline() -> None:
    context.configure(
        url=os.environ.get("DATABASE_URL") or "postgresql+asyncpg://offline/render",
        target_metadata=metadata,
        literal_binds=True,
        transaction_per_migration=True,
    )
    for statement in _timeouts():
        context.execute(statement)
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    for statement in _timeouts():  # session-level: they hold across the per-migration transactions
        connection.exec_driver_sql(statement)
    connection.commit()
    context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def _online() -> None:
    engine = create_async_engine(_database_url(), poolclass=NullPool)
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    _offline()
else:
    asyncio.run(_online())
