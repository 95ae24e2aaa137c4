"""A benchmark's own embedded PostgreSQL, tuned by ``ALTER SYSTEM`` and restarted before the benchmark runs."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text

from adapters.db.engine import make_engine
from devstack.embedded import start_postgres


async def tune(url: str, settings: dict[str, str]) -> None:
    """ALTER SYSTEM for ``settings``; they take effect at the restart that follows."""
    engine = make_engine(url, pool_size=1)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for name, value in settings.items():
            await conn.execute(text(f"ALTER SYSTEM SET {name} = '{value}'"))
    await engine.dispose()


async def on_tuned_postgres(prefix: str, settings: dict[str, str], bench: Callable[[str], Awaitable[bool]]) -> bool:
    """Start PostgreSQL in a temporary directory, apply ``settings``, restart it, run ``bench(url)``, stop it."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        pg = start_postgres(Path(tmp) / "pg")
        try:
            await tune(pg.url, settings)
            pg.stop()
            pg.server.start()  # type: ignore[attr-defined]
            return await bench(pg.url)
        finally:
            pg.stop()
