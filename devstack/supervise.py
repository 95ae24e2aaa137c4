"""Keeping ``make up``'s worker and API server running: a child that exits is started again after a backoff
(1 s, doubling to 30 s; back to 1 s once it has run for a minute), instead of the whole stack stopping.
Each start and exit is printed with the child's name and PID.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Backoff:
    initial: float = 1.0
    ceiling: float = 30.0
    stable_after: float = 60.0
    """A run at least this long resets the delay: the next crash is a new incident, not the same crash loop."""
    failures: int = 0

    def next_delay(self, ran_for: float) -> float:
        if ran_for >= self.stable_after:
            self.failures = 0
        delay = min(self.ceiling, self.initial * 2**self.failures)
        self.failures += 1
        return delay


@dataclass
class Supervised:
    """One child process, restarted with backoff whenever it exits, until ``stop``."""

    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None
    cwd: Path | None = None
    backoff: Backoff = field(default_factory=Backoff)
    say: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    stopped: bool = False

    def start(self) -> subprocess.Popen[bytes]:
        self.proc = subprocess.Popen(list(self.argv), env=self.env, cwd=self.cwd, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None
        self.say(f"{self.name:<9} started (pid {self.proc.pid})")
        return self.proc

    def tick(self, now: float | None = None) -> None:
        """Notice an exit and schedule the restart; start it when its time has come."""
        if self.stopped:
            return
        now = time.monotonic() if now is None else now
        if self.restart_at is None and self.proc is not None and self.proc.poll() is not None:
            delay = self.backoff.next_delay(now - self.started_at)
            self.restart_at = now + delay
            code = self.proc.returncode
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with {code}"
            self.say(f"{self.name:<9} {how}; restarting in {delay:g} s")
        if self.restart_at is not None and now >= self.restart_at:
            self.restarts += 1
            self.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate the child (SIGTERM, then SIGKILL after ``timeout``); it is not restarted any more."""
        self.stopped = True
        self.restart_at = None
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
