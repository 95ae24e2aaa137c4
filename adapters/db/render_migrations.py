"""Render every migration's upgrade SQL offline, one file per revision, for ``make lint`` (squawk).

``python -m adapters.db.render_migrations <dir>`` writes ``<dir>/<revision>.sql`` = what
``alembic upgrade <previous>:<revision> --sql`` prints: the session timeouts env.py sets, then the revision's
statements in its transaction (``COMMIT`` / ``BEGIN`` around an ``autocommit_block``). No database is needed.

A new migration carries its exceptions next to the statement (``-- squawk-ignore <rule>`` and why, as in 0012);
``HISTORICAL_IGNORES`` are file-wide exceptions for revisions that every database ran long ago, whose column types
cannot change without changing the schema of existing databases.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from adapters.db.migrate import alembic_config

HISTORICAL_IGNORES: dict[str, dict[str, str]] = {
    "0001": {"prefer-text-field": "alembic's own alembic_version.version_num VARCHAR(32), created by Alembic"},
    "0003": {
        "prefer-bigint-over-int": "wave numbers and quotas are bounded by the population (< 300 million < 2^31)",
        "prefer-identity": "wave_joiners.id BIGSERIAL of a table created empty; identity would change the schema",
    },
    "0005": {"prefer-bigint-over-int": "notifications.attempts counts delivery attempts (a handful)"},
    "0007": {
        "prefer-bigint-over-int": "tranche, attempt and link numbers, statement line counts per day: small counters",
    },
}
"""revision -> rule -> why it is acceptable there."""


def _header(revision: str) -> str:
    lines = [
        f"-- squawk-ignore-file {rule}\n-- because: {why}" for rule, why in HISTORICAL_IGNORES.get(revision, {}).items()
    ]
    return "".join(f"{line}\n" for line in lines)


def render(out: Path) -> list[Path]:
    cfg = alembic_config("")
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    for script in reversed(list(ScriptDirectory.from_config(cfg).walk_revisions())):
        target = out / f"{script.revision}.sql"
        span = f"{script.down_revision}:{script.revision}" if script.down_revision else script.revision
        with target.open("w") as buffer:
            buffer.write(_header(script.revision))
            cfg.output_buffer = buffer
            command.upgrade(cfg, span, sql=True)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else ".data/migrations-sql")):
        print(path)
