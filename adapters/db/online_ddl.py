"""Helpers for migrations that must not lock a big, live table (``cases``): CONCURRENTLY index builds and drops
outside the migration's transaction, and backfills in short batches, each committed on its own.

Every helper can run again after an interrupted attempt (a ``lock_timeout``, a deploy killed midway): a
CONCURRENTLY build that failed leaves an INVALID index behind, which is dropped and rebuilt; what a previous
attempt finished is skipped. Offline (``alembic upgrade --sql``) they print the statements they would run, with
one representative batch of a backfill, for squawk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op


def offline() -> bool:
    return context.is_offline_mode()


def exists(relation: str) -> bool:
    """Online: whether ``relation`` (a table or an index) exists; offline: never (everything is printed)."""
    if offline():
        return False
    return op.get_bind().execute(sa.text("SELECT to_regclass(:r) IS NOT NULL"), {"r": relation}).scalar_one()


def _invalid(index: str) -> bool:
    if offline():
        return False
    query = sa.text(
        "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = :name AND c.relnamespace = current_schema()::regnamespace"
    )
    return bool(op.get_bind().execute(query, {"name": index}).scalar())


def create_index_concurrently(name: str, table: str, columns: Sequence[Any], **kw: Any) -> None:
    """``CREATE INDEX CONCURRENTLY`` outside the transaction: writers to ``table`` are never blocked."""
    with op.get_context().autocommit_block():
        if _invalid(name):  # the leftover of an interrupted build
            op.drop_index(name, table_name=table, postgresql_concurrently=True)
        op.create_index(name, table, list(columns), postgresql_concurrently=True, if_not_exists=True, **kw)


def drop_index_concurrently(name: str, table: str) -> None:
    with op.get_context().autocommit_block():
        op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)


def replace_index_concurrently(name: str, table: str, columns: Sequence[Any], **kw: Any) -> None:
    """A new definition under the same name: build it under a temporary name, drop the old, rename."""
    temporary = f"{name}_new"
    create_index_concurrently(temporary, table, columns, **kw)
    if offline() or exists(temporary):
        drop_index_concurrently(name, table)
        with op.get_context().autocommit_block():
            # Justified: nothing refers to an index by name (queries leave the choice to the planner).
            op.execute(f"-- squawk-ignore renaming-object\nALTER INDEX {temporary} RENAME TO {name}")


def in_batches(step: Callable[[Any], Any], *, start: Any) -> int:
    """Run ``step(after)`` until it returns ``None``, each call committed on its own (autocommit); ``step``
    handles one batch after the key ``after`` and returns the last key it handled. Offline: one call."""
    batches = 0
    with op.get_context().autocommit_block():
        after = start
        while True:
            after = step(after)
            batches += 1
            if after is None or offline():
                return batches
