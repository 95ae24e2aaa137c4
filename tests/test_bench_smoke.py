"""Every ``bench.*`` command still runs: each at its smoke size (``--smoke``), as a subprocess, in one bounded test.

It checks that each printed its figures, never what they are (a loaded CI machine is no place to time anything).
A new benchmark with a ``__main__`` must be listed here: the test fails on one it does not know. Today:
bench.course_review, bench.fanout, bench.integrity, bench.intake, bench.lifecycle, bench.partner_api, bench.payouts,
bench.search, bench.selection, bench.training. Their helpers, not commands, run inside them: bench.fanout_seed,
bench.fanout_history, bench.figures, bench.http_shim, bench.integrity_seed, bench.search_data, bench.settlement,
bench.smoke, bench.tuned_postgres and bench.what_if_runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 175.0  # the whole module, every benchmark included: under 3 minutes (72-140 s seen on 2 shared cores)
NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"

FIGURES: dict[str, tuple[str, ...]] = {
    "course_review": (
        rf"-> {NUMBER} review workflows/s",
        rf"history per course: {NUMBER} events",
        rf"the review reaches {NUMBER}% of it",
        r"OK: \d+ versions approved",
    ),
    "fanout": (
        rf"results visible +{NUMBER} s",
        rf"selected decided +{NUMBER} s +-> {NUMBER} selected decided/s",
        rf"engine signal ceiling +{NUMBER} s +-> {NUMBER} plain signals/s",
        rf"of the ceiling +{NUMBER}%",
    ),
    "integrity": (
        rf"seeded +{NUMBER} trainings set-based in {NUMBER} s",
        r"planted patterns +\d/\d flagged",
        rf"p99 < {NUMBER} ms for every query: (PASS|FAIL)",
    ),
    "intake": (
        rf"all validated in +{NUMBER} s +-> {NUMBER} applications/s",
        rf"engine ceiling +{NUMBER} bare no-op workflows/s",
    ),
    "lifecycle": (
        r"settlement: asynchronous .* reports APPLIED \d+",
        rf"-> {NUMBER} lifecycles/s",
        rf"the lifecycle reaches {NUMBER}% of it",
        r"OK: \d+ participants paid exactly",
    ),
    "partner_api": (
        rf"rest +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}",
        rf"graphql +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}",
        rf"REST/GraphQL cost: CPU per flow x{NUMBER} .* (PASS|FAIL)",
        r"OK: \d+ purchases and redeems",
    ),
    "payouts": (rf"-> {NUMBER} payouts/s", r"OK: every tranche paid exactly once"),
    "search": (rf"searched +{NUMBER} timed searches", rf"p99 < {NUMBER} ms for every query type: (PASS|FAIL)"),
    "selection": (
        rf"selection +{NUMBER} s for {NUMBER} joiners",
        r"verify .* identical=True",
        rf"what-if +{NUMBER} s for {NUMBER} joiners \(same parameters\)",
        r"overlap 100\.0%; same as real=True",
        rf"what-if +{NUMBER} s for {NUMBER} joiners \(quotas",
    ),
    "training": (rf"-> {NUMBER} enrollments/s", rf"-> {NUMBER} flows/s", r"ledger OK"),
}


ARGS: dict[str, tuple[str, ...]] = {"lifecycle": ("--async-settlement",)}
"""Options a smoke run adds: the lifecycle runs with the partner settling later (reportTransfer, status checks);
the default, settling within the transfer, is what every other payout test uses."""


def _benchmarks() -> set[str]:
    return {p.stem for p in (ROOT / "bench").glob("*.py") if "__main__" in p.read_text()}


def test_every_benchmark_is_smoked():
    assert _benchmarks() == set(FIGURES), "list each bench.* command (and what it prints) in FIGURES"


def test_every_benchmark_runs_at_smoke_size_and_prints_its_figures():
    started = time.monotonic()
    failures: list[str] = []
    took: dict[str, float] = {}
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for name, patterns in sorted(FIGURES.items()):
        left = BUDGET_S - (time.monotonic() - started)
        assert left > 5, f"out of the smoke budget ({BUDGET_S:.0f} s) before bench.{name}"
        try:
            run = subprocess.run(
                [sys.executable, "-m", f"bench.{name}", "--smoke", *ARGS.get(name, ())],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=left,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"bench.{name}: still running when the smoke budget ran out; seconds so far {took}")
            break
        took[name] = round(time.monotonic() - started - (BUDGET_S - left), 1)
        missing = [p for p in patterns if not re.search(p, run.stdout)]
        if run.returncode != 0 or missing:
            tail = (run.stdout + run.stderr)[-1500:]
            failures.append(f"bench.{name}: exit {run.returncode}, missing {missing}\n{tail}")
    assert not failures, "\n\n".join(failures)
