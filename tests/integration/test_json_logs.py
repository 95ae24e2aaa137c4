"""The real ``server.py`` (on the test PostgreSQL and Temporal) logs JSON lines only: uvicorn's own start-up,
access and shutdown lines included, each through the PII scrub (a query string holding an e-mail and a phone). With
the ``OTEL_*`` variables set it exports its request spans and metrics to a local OTLP receiver as well."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from devstack.embedded import wait_for_port
from tests.conftest import TEST_PAYLOAD_KEYS, TEST_PII_KEYS, free_port
from tests.otlp_receiver import otlp_receiver

ROOT = Path(__file__).resolve().parents[2]
EMAIL, PHONE, NIK = "budi.santoso@example.id", "081234567890", "3171014505900001"


@pytest.mark.timeout(120)
def test_server_logs_scrubbed_json_lines_uvicorns_own_included_and_exports_over_otlp(settings, tmp_path):
    with otlp_receiver() as (endpoint, received):
        text = _run_server(settings, tmp_path, endpoint)
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    assert {"uvicorn.error", "uvicorn.access"} <= {r["logger"] for r in lines}, text
    assert any("Uvicorn running on" in r["message"] for r in lines), text
    [inbox] = [r for r in lines if r["logger"] == "uvicorn.access" and r["path"].startswith("/dev/inbox")]
    assert inbox["status"] == 200 and inbox["method"] == "GET"
    assert inbox["path"].count("[redacted]") == 3, inbox
    for secret in (EMAIL, urllib.parse.quote(EMAIL), PHONE, NIK):
        assert secret not in text, secret
        assert secret.encode() not in b"".join(received.bodies), secret

    spans = received.spans()
    assert {"GET /dev/inbox", "GET /livez"} <= {s.name for s in spans if s.service == "prakerja-server"}, spans
    requests = received.metric_points().get("prakerja.api.requests", [])
    assert {"api": "http", "operation": "/livez", "result": "ok"} in requests, requests


def _run_server(settings, tmp_path, otlp_endpoint: str) -> str:
    """Start ``server.py``, make two requests, stop it with SIGINT (it flushes its telemetry); its stderr."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "TEMPORAL_ADDRESS": settings.temporal_address,
        "CASE_HMAC_KEY": "test-blind-index-key",
        "JWT_SECRET": settings.jwt_secret.reveal(),
        "PII_KEYS": TEST_PII_KEYS,
        "PII_ACTIVE_KEY": "pii-test1",
        "PAYLOAD_KEYS": TEST_PAYLOAD_KEYS,
        "PAYLOAD_ACTIVE_KEY": "test1",
        "DEV_MODE": "1",
        "HTTP_PORT": str(port),
        "ACCESS_LOG": "1",
        "OTEL_TRACES": "none",
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_endpoint,
    }
    for name in ("OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME"):
        env.pop(name, None)
    stderr = tmp_path / "server.stderr"
    with stderr.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=env, stdout=err, stderr=err)
        try:
            wait_for_port("127.0.0.1", port, timeout=60)
            query = urllib.parse.urlencode({"to": EMAIL, "phone": PHONE, "nik": NIK})
            for path in (f"/dev/inbox?{query}", "/livez"):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as resp:
                    assert resp.status == 200
            time.sleep(0.3)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    return stderr.read_text()
