"""``make up`` keeps serving when its worker or API server dies: each is SIGKILLed and comes back, and the
participant API works through both (the worker's restart is what an apply needs)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from caseapi.shared.auth import Role, mint_token
from devstack.embedded import wait_for_port
from devstack.secrets import dev_secrets
from tests.conftest import free_port
from tests.factories import apply_input
from tests.integration.queries import APPLY, MY_CASE
from tests.integration.test_restart import _post, _start, _stop


def _child(parent: int, script: str) -> int | None:
    """The PID of ``parent``'s child running ``script`` (``worker.py`` / ``server.py``), if any."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError, IndexError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if ppid == parent and cmdline[1].decode().endswith(script):
                return int(pid)
    return None


def _replaced(parent: int, script: str, old: int, within: float = 20.0) -> int:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        pid = _child(parent, script)
        if pid is not None and pid != old:
            return pid
        time.sleep(0.2)
    raise AssertionError(f"{script} was not restarted within {within} s")


def _token(data_dir: Path, subject: str) -> str:
    secret = dev_secrets(data_dir)["JWT_SECRET"]
    return mint_token(
        secret=secret, issuer="prakerja-cases", endpoint="participant", subject=subject, role=Role.PARTICIPANT
    )


@pytest.mark.timeout(240)
def test_a_killed_worker_and_server_are_restarted(tmp_path: Path):
    ports = {"http": free_port(), "temporal": free_port(), "ui": free_port()}
    proc = _start(tmp_path, ports, {"METRICS_BIND": ""})
    try:
        worker = _child(proc.pid, "worker.py")
        assert worker is not None
        os.kill(worker, signal.SIGKILL)
        _replaced(proc.pid, "worker.py", worker)
        token = _token(tmp_path, "restarted-worker-acct")
        applied = _post(ports["http"], APPLY, {"input": apply_input()}, token)["apply"]
        assert applied["__typename"] == "ApplySuccess", applied  # answered by the restarted worker

        server = _child(proc.pid, "server.py")
        assert server is not None
        os.kill(server, signal.SIGKILL)
        _replaced(proc.pid, "server.py", server)
        wait_for_port("127.0.0.1", ports["http"], timeout=60)
        mine = _post(ports["http"], MY_CASE, {}, token)["myCase"]
        assert mine["id"] == applied["case"]["id"]
        assert proc.poll() is None  # the stack itself never stopped
    finally:
        out = _stop(proc)
    assert "worker    killed by SIGKILL; restarting in 1 s" in out, out[-2000:]
    assert "server    killed by SIGKILL; restarting in 1 s" in out, out[-2000:]
