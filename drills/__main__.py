"""``python -m drills``: the fault drills that need a whole stack of real processes; prints the figures.
``python -m drills replicas``: the multi-replica drill behind haproxy and pgbouncer (drills/replicas.py).

The drills that need one process or one workflow (a worker killed mid-payment, a reset after a payment, a partner's
report sent 3 times concurrently and out of order, replay of the history corpus) are tests in ``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from drills import replicas
from drills.lifecycle_under_faults import run


def main() -> int:
    parser = argparse.ArgumentParser(prog="drills")
    parser.add_argument("drill", nargs="?", choices=("lifecycle", "replicas"), default="lifecycle")
    parser.add_argument("--participants", type=int, default=None, help="12; replicas 24")
    parser.add_argument("--pg-down", type=float, default=None, help="seconds PostgreSQL is down (30; replicas 10)")
    parser.add_argument("--async-settlement", action="store_true", help="the partner settles transfers later")
    args = parser.parse_args()
    if args.drill == "replicas":  # behind haproxy and pgbouncer (drills/replicas.py)
        report = asyncio.run(replicas.run(args.participants or 24, 10.0 if args.pg_down is None else args.pg_down))
        return replicas.print_report(report)
    args.participants = args.participants or 12
    args.pg_down = 30.0 if args.pg_down is None else args.pg_down
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
