"""``python -m devstack up`` (what ``make up`` runs): stop it, start it again, the case is still there."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from caseapi.shared.auth import Role, mint_token
from devstack.embedded import port_open, wait_for_port
from devstack.secrets import dev_secrets
from tests.conftest import free_port
from tests.factories import apply_input
from tests.integration.queries import APPLY, MY_CASE

ROOT = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, ports: dict[str, int], extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEMPORAL_ADDRESS")} | (extra_env or {})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devstack",
            "--data-dir",
            str(data_dir),
            "up",
            "--http-port",
            str(ports["http"]),
            "--temporal-port",
            str(ports["temporal"]),
            "--ui-port",
            str(ports["ui"]),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port("127.0.0.1", ports["http"], timeout=90, proc=proc)
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> str:
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out.decode(errors="replace")[-3000:]
    return out.decode(errors="replace")


def _post(port: int, query: str, variables: dict, token: str) -> dict:
    resp = httpx2.post(
        f"http://127.0.0.1:{port}/graphql/participant",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    return resp.json()["data"]


def _running_with(needle: str) -> bool:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            if needle in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                return True
    return False


@pytest.mark.timeout(240)
def test_stack_stops_cleanly_and_resumes_the_same_data(tmp_path: Path):
    ports = {"http": free_port(), "temporal": free_port(), "ui": free_port()}
    metrics_free = not port_open("127.0.0.1", 9464)  # make up exports metrics there when it is free
    proc = _start(tmp_path, ports)
    try:
        token = mint_token(
            secret=dev_secrets(tmp_path)["JWT_SECRET"],
            issuer="prakerja-cases",
            endpoint="participant",
            subject="restart-acct",
            role=Role.PARTICIPANT,
        )
        applied = _post(ports["http"], APPLY, {"input": apply_input()}, token)["apply"]
        assert applied["__typename"] == "ApplySuccess", applied
        if metrics_free:
            metrics = httpx2.get("http://127.0.0.1:9464/metrics", timeout=10).text
            assert "prakerja_applications" in metrics and "temporal_workflow_task" in metrics, metrics[:500]
    finally:
        out = _stop(proc)
    assert "stopped" in out
    assert not _running_with(f"--db-filename {tmp_path}"), "the embedded Temporal server outlived the stack"

    time.sleep(0.5)
    proc = _start(tmp_path, ports)
    try:
        mine = _post(ports["http"], MY_CASE, {}, token)["myCase"]
        assert mine["__typename"] == "Case" and mine["id"] == applied["case"]["id"]
        assert mine["stage"] in ("VALIDATING", "INELIGIBLE")  # a made-up NIK: Dukcapil has no record
    finally:
        _stop(proc)
    _check_traces(tmp_path / "traces.jsonl", apply_input()["nik"])


def _check_traces(path: Path, nik: str) -> None:
    """``make up`` traces by default: the apply is one trace from the GraphQL operation through the workflow
    update into the workflow and its SQL, in both processes, with no raw NIK anywhere in the export."""
    text = path.read_text()
    assert nik not in text
    spans = [json.loads(line) for line in text.splitlines()]
    by_trace: dict[str, set[str]] = {}
    for s in spans:
        by_trace.setdefault(s["trace_id"], set()).add(f"{s['service']}|{s['name']}")
    apply_traces = [t for t, names in by_trace.items() if "prakerja-worker|HandleUpdate:apply" in names]
    assert apply_traces, sorted({s["service"] + "|" + s["name"] for s in spans})
    names = by_trace[apply_traces[0]]
    assert any((n.startswith("prakerja-server|") and "mutation" in n.lower()) or "apply" in n for n in names), names
    assert any(n.startswith("prakerja-worker|") for n in names), names
    sql = [s for s in spans if s["trace_id"] == apply_traces[0] and s["attributes"].get("db.system") == "postgresql"]
    assert sql, names  # OpenTelemetry's SQLAlchemy instrumentation names a span by its verb (INSERT, SELECT)
