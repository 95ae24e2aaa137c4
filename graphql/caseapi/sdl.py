"""The GraphQL contract of each client as SDL, committed under ``graphql/schema/``.

    python -m caseapi.sdl           # check: exit 1 when the committed SDL differs from the code
    python -m caseapi.sdl --write   # regenerate the committed files after a deliberate change

``graphql/schema/released/`` holds the contract partners and the console were last given; a change that breaks it
(graphql-core's ``find_breaking_changes``) must be recorded in ``graphql/schema/CHANGELOG.md`` before it lands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caseapi.routes import build_schema
from graphql import build_schema as parse_sdl
from graphql import find_breaking_changes

CLIENTS = ("participant", "staff", "partner")
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
RELEASED = SCHEMA_DIR / "released"
CHANGELOG = SCHEMA_DIR / "CHANGELOG.md"


def sdl(client: str) -> str:
    return build_schema(client, introspection=False).as_str() + "\n"


def drift() -> list[str]:
    """Clients whose committed SDL differs from the code."""
    return [c for c in CLIENTS if (SCHEMA_DIR / f"{c}.graphql").read_text() != sdl(c)]


def unrecorded_breaking_changes() -> list[str]:
    """Breaking changes against the released contract that the changelog does not mention."""
    log = CHANGELOG.read_text()
    found = []
    for client in CLIENTS:
        old = parse_sdl((RELEASED / f"{client}.graphql").read_text())
        new = parse_sdl(sdl(client))
        for change in find_breaking_changes(old, new):
            line = f"{client}: {change.description}"
            if line not in log:
                found.append(line)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(prog="caseapi.sdl")
    parser.add_argument("--write", action="store_true", help="regenerate graphql/schema/<client>.graphql")
    parser.add_argument("--release", action="store_true", help="also make the current contract the released one")
    args = parser.parse_args()
    if args.write or args.release:
        for client in CLIENTS:
            (SCHEMA_DIR / f"{client}.graphql").write_text(sdl(client))
            if args.release:
                RELEASED.mkdir(parents=True, exist_ok=True)
                (RELEASED / f"{client}.graphql").write_text(sdl(client))
        return 0
    stale, breaking = drift(), unrecorded_breaking_changes()
    for client in stale:
        print(f"{client}: the committed SDL differs from the code (python -m caseapi.sdl --write)")
    for line in breaking:
        print(f"breaking, not in graphql/schema/CHANGELOG.md: {line}")
    return 1 if stale or breaking else 0


if __name__ == "__main__":
    sys.exit(main())
