"""Render every migration's upgrade SQL offline, one file per revision, for ``make lint`` (squawk).

``python -m adapters.db.render_migrations <dir>`` writes ``<dir>/<revision>.sql`` = what
``alembic upgrade <previous>:<revision> --sql`` prints: the session timeouts env.py sets, then the revision's
statements in its transaction (``COMMIT`` / ``BEGIN`` around an ``autocommit_block``). No database is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from adapters.db.migrate import alembic_config


def render(out: Path) -> list[Path]:
    cfg = alembic_config("")
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    for script in reversed(list(ScriptDirectory.from_config(cfg).walk_revisions())):
        target = out / f"{script.revision}.sql"
        span = f"{script.down_revision}:{script.revision}" if script.down_revision else script.revision
        with target.open("w") as buffer:
            cfg.output_buffer = buffer
            command.upgrade(cfg, span, sql=True)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else ".data/migrations-sql")):
        print(path)
