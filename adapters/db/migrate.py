"""Apply Alembic migrations programmatically (``make up``, tests, ``python -m adapters.db.migrate``)."""

from __future__ import annotations

import os
import sys
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
    """Blocking; call through ``asyncio.to_thread`` from async code."""
    command.upgrade(alembic_config(url), revision)


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else os.environ["DATABASE_URL"])
