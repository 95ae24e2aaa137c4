"""The supervisor behind ``make up`` with real child processes: an exiting child is started again after a delay
that doubles up to a ceiling, a run that lasted resets the delay, and ``stop`` ends it for good."""

from __future__ import annotations

import itertools
import signal
import sys
import time
from pathlib import Path

from devstack.supervise import Backoff, Supervised


def test_backoff_doubles_to_its_ceiling_and_resets_after_a_stable_run():
    backoff = Backoff(initial=1, ceiling=8, stable_after=60)
    assert [backoff.next_delay(ran_for=0.5) for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    assert backoff.next_delay(ran_for=120) == 1


def _run(child: Supervised, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        child.tick()
        time.sleep(0.01)


def test_a_crashing_child_is_restarted_with_growing_delays(tmp_path: Path):
    starts = tmp_path / "starts"
    script = f"import time; open({str(starts)!r}, 'a').write(f'{{time.monotonic()}}\\n'); raise SystemExit(3)"
    lines: list[str] = []
    child = Supervised(
        "crashy", [sys.executable, "-c", script], backoff=Backoff(initial=0.2, ceiling=0.8), say=lines.append
    )
    child.start()
    _run(child, 2.8)  # starts at ~0, 0.2, 0.6, 1.4, 2.2 (plus each interpreter's start-up)
    child.stop()
    times = [float(t) for t in starts.read_text().split()]
    delays = [float(line.split("restarting in ")[1].split()[0]) for line in lines if "restarting in" in line]
    assert any("crashy" in line and "exited with 3; restarting in 0.2 s" in line for line in lines), lines
    assert delays[:4] == [0.2, 0.4, 0.8, 0.8], delays
    assert len(times) >= 4, times
    for (earlier, later), delay in zip(itertools.pairwise(times), delays, strict=False):
        assert later - earlier >= delay, (times, delays)  # never sooner than the backoff


def test_a_killed_child_comes_back_and_stop_ends_it(tmp_path: Path):
    lines: list[str] = []
    child = Supervised(
        "sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], backoff=Backoff(initial=0.1), say=lines.append
    )
    first = child.start()
    first.send_signal(signal.SIGKILL)
    _run(child, 0.6)
    assert child.proc is not first and child.proc.poll() is None and child.restarts == 1
    assert any("killed by SIGKILL; restarting in 0.1 s" in line for line in lines), lines
    child.stop()
    _run(child, 0.3)
    assert child.proc.poll() is not None and child.restarts == 1  # stopped: not restarted
