"""A throw-away embedded stack for benchmarks: PostgreSQL, Temporal dev server, worker and server processes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from adapters.db.migrate import upgrade
from devstack.embedded import start_postgres, start_temporal, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
BENCH_PII_KEYS = "bench-pii:QkVOQ0gtUElJLUtFWS0wMTIzNDU2Nzg5MDEyMzQ1Njc="


def free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BenchStack:
    env: dict[str, str]
    http_url: str
    temporal_address: str
    database_url: str
    pids: dict[str, int]


def usage(pid: int) -> tuple[float, int]:
    """CPU seconds (user + system) used so far and peak resident memory in MiB of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    peak = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmHWM"))
    return cpu, int(peak.split()[1]) // 1024


@contextlib.contextmanager
def bench_stack(
    *, population_seed: int, population_size: int, extra_env: dict[str, str] | None = None
) -> Iterator[BenchStack]:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        data = Path(tmp)
        pg = start_postgres(data / "pg")
        temporal = start_temporal(data / "temporal", port=free_port(), ui_port=free_port(), extra_args=("--headless",))
        procs: list[subprocess.Popen[bytes]] = []
        try:
            upgrade(pg.url)
            port = free_port()
            env = dict(os.environ) | {
                "DATABASE_URL": pg.url,
                "TEMPORAL_ADDRESS": temporal.address,
                "CASE_HMAC_KEY": "bench-key",
                "PII_KEYS": BENCH_PII_KEYS,
                "PII_ACTIVE_KEY": "bench-pii",
                "JWT_SECRET": "bench-secret-0123456789-0123456789-0123456789",
                "HTTP_PORT": str(port),
                "POPULATION_SEED": str(population_seed),
                "POPULATION_SIZE": str(population_size),
                **(extra_env or {}),
            }
            log = (Path(tempfile.gettempdir()) / "bench-procs.log").open("ab")
            for module in ("worker.py", "server.py"):
                procs.append(
                    subprocess.Popen([sys.executable, str(ROOT / module)], env=env, cwd=ROOT, stdout=log, stderr=log)
                )
            wait_for_port("127.0.0.1", port, timeout=60, proc=procs[-1])
            pids = {"worker": procs[0].pid, "server": procs[1].pid, "temporal": temporal.proc.pid}
            yield BenchStack(env, f"http://127.0.0.1:{port}", temporal.address, pg.url, pids)
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
            temporal.stop()
            pg.stop()
