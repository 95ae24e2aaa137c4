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

    def usage(self) -> dict[str, tuple[float, int]]:
        """CPU seconds and peak RSS of each process so far; the client (this process) without its children."""
        return {name: usage(pid, children=name != "client") for name, pid in self.pids.items()}


def usage(pid: int, *, children: bool = True) -> tuple[float, int]:
    """CPU seconds (user + system) used so far by a process and (unless told not to) its children, live or
    exited, and the peak resident memory in MiB of the biggest of them (Linux /proc). PostgreSQL is a postmaster
    and its backends; the benchmark's own process is counted without the stack it started."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = sum(int(f) for f in fields[11 : 15 if children else 13]) / ticks  # utime, stime (+ exited children's)
    peak = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmHWM"))
    rss = int(peak.split()[1]) // 1024
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if children else ():
        with contextlib.suppress(FileNotFoundError, StopIteration):  # a child that exits meanwhile
            child_cpu, child_rss = usage(int(child))
            cpu, rss = cpu + child_cpu, max(rss, child_rss)
    return cpu, rss


def machine_ticks() -> dict[str, int]:
    """The whole machine's CPU time so far (/proc/stat, clock ticks): busy, idle and stolen by the hypervisor.
    On this VM steal varies from run to run, and with it every figure; the benchmarks print it."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().split()[0])


def _python_pid(pid: int) -> int:
    """The process py-spy started (its only child), or ``pid`` itself once it has none."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = children.read_text().split() if children.exists() else []
    return int(found[0]) if found else pid


@contextlib.contextmanager
def bench_stack(
    *,
    population_seed: int,
    population_size: int,
    extra_env: dict[str, str] | None = None,
    temporal_args: tuple[str, ...] = (),
) -> Iterator[BenchStack]:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        data = Path(tmp)
        pg = start_postgres(data / "pg")
        temporal = start_temporal(
            data / "temporal", port=free_port(), ui_port=free_port(), extra_args=("--headless", *temporal_args)
        )
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
            profile = os.environ.get("BENCH_PYSPY_DIR")  # sample each process with py-spy (raw flame data)
            for module in ("worker.py", "server.py"):
                cmd = [sys.executable, str(ROOT / module)]
                if profile:
                    out = f"{profile}/{module.removesuffix('.py')}.txt"
                    cmd = [
                        str(Path(sys.executable).parent / "py-spy"),
                        "record",
                        "--nonblocking",
                        "-r",
                        "50",
                        "-f",
                        "raw",
                        "-o",
                        out,
                        "--",
                        *cmd,
                    ]
                procs.append(subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log))
            wait_for_port("127.0.0.1", port, timeout=60, proc=procs[-1])
            worker, server = (_python_pid(p.pid) if profile else p.pid for p in procs)
            pids = {"worker": worker, "server": server, "temporal": temporal.proc.pid}
            pids |= {"postgres": postmaster_pid(data / "pg"), "client": os.getpid()}
            yield BenchStack(env, f"http://127.0.0.1:{port}", temporal.address, pg.url, pids)
        finally:
            for p in procs:
                os.kill(_python_pid(p.pid) if profile else p.pid, signal.SIGTERM)  # py-spy writes when it exits
            for p in procs:
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
            temporal.stop()
            pg.stop()
