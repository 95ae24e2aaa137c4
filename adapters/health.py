"""Readiness checks of the API server over its real dependencies (mounted by server.py on ``/readyz``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client

from adapters.db.migrate import alembic_config


class NotReady(Exception):
    """A dependency answered, but not as a ready service needs it to."""


def migration_revisions() -> tuple[set[str], set[str]]:
    """The head revision(s) of the migrations shipped with this build, and every revision it knows."""
    script = ScriptDirectory.from_config(alembic_config(""))
    return set(script.get_heads()), {s.revision for s in script.walk_revisions()}


def postgres_check(engine: AsyncEngine) -> Callable[[], Awaitable[None]]:
    async def check() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return check


def migrations_check(engine: AsyncEngine) -> Callable[[], Awaitable[None]]:
    """Not ready while the database is behind this build's head (a new replica waits for its migration Job).
    A database *ahead* of it (a revision this build does not know: the next release migrated first, during a
    rolling upgrade) is ready: migrations are expand-only, the release before them keeps working
    (docs/deploy.md)."""
    heads, known = migration_revisions()

    async def check() -> None:
        async with engine.connect() as conn:
            found = set((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
        behind = (found & known) - heads
        if behind or not found:
            at = ",".join(sorted(found)) or "no revision"
            raise NotReady(f"database at {at}, this build needs {','.join(sorted(heads))}: run the migrations")

    return check


def temporal_check(client: Client, *, timeout: float = 2.0) -> Callable[[], Awaitable[None]]:
    """The frontend answers for our namespace with our credentials (what the SDK's workers also ask first)."""

    async def check() -> None:
        await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=client.namespace), timeout=timedelta(seconds=timeout)
        )

    return check


def readiness_checks(engine: AsyncEngine, client: Client) -> dict[str, Callable[[], Awaitable[None]]]:
    return {
        "postgres": postgres_check(engine),
        "temporal": temporal_check(client),
        "migrations": migrations_check(engine),
    }
