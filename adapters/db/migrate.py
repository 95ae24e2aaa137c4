"""Apply Alembic migrations programmatically (``make up``, tests, ``python -m adapters.db.migrate``)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Blocking. Runs in its own thread, so it also works under a running event loop (env.py uses asyncio.run)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            command.upgrade(alembic_config(url), revision)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=run, name="alembic-upgrade")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else os.environ["DATABASE_URL"])
