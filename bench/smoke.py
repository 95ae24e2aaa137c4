"""Every ``bench.*`` command has a smoke size: ``--smoke`` runs it tiny, so that a test can check it still runs
end to end and prints its figures (tests/test_bench_smoke.py), without timing anything."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None, **smoke: Any) -> argparse.Namespace:
    """Parse the command line; with ``--smoke``, the sizes given here replace the defaults and any option given."""
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a smoke run at tiny sizes ({', '.join(f'{k}={v}' for k, v in smoke.items())})",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        for name, value in smoke.items():
            if not hasattr(args, name):
                raise AttributeError(f"{parser.prog} has no option {name!r} to size for a smoke run")
            setattr(args, name, value)
    return args
