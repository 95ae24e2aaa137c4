"""The deployment files agree with the code: every variable they set is one the code reads, every required
setting reaches the API server, the worker and the migrations, and the probes hit the paths the processes serve.
(Schema validity of the files is checked by make lint: kubernetes-validate and check-jsonschema.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
REQUIRED = {"DATABASE_URL", "CASE_HMAC_KEY", "JWT_SECRET", "PII_KEYS", "PII_ACTIVE_KEY"}
READ_ELSEWHERE = {"MIGRATION_LOCK_TIMEOUT", "MIGRATION_STATEMENT_TIMEOUT", "TEMPORAL_CONFIG_FILE", "TEMPORAL_API_KEY"}
READ_ELSEWHERE |= {  # adapters/telemetry/setup.py and the OpenTelemetry SDK's exporters
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "OTEL_TRACES_EXPORTER",
    "OTEL_METRICS_EXPORTER",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
}


def _documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d and d.get("kind") != "Kustomization"]
    return docs


def _known_variables() -> set[str]:
    source = (ROOT / "settings.py").read_text()
    return set(re.findall(r'e(?:\.get\(|\[)"([A-Z_]+)"', source)) | set(re.findall(r'"([A-Z_]+)"', source))


def _container(kind: str, name: str) -> tuple[dict[str, Any], set[str]]:
    doc = next(d for d in _documents() if d["kind"] == kind and d["metadata"]["name"].startswith(name))
    container = doc["spec"]["template"]["spec"]["containers"][0]
    names = {e["name"] for e in container.get("env", [])}
    config = next(d for d in _documents() if d["kind"] == "ConfigMap")
    if any(
        ref.get("configMapRef", {}).get("name") == config["metadata"]["name"] for ref in container.get("envFrom", [])
    ):
        names |= set(config["data"])
    return container, names


def test_every_variable_the_manifests_set_is_read_by_the_code():
    known = _known_variables() | READ_ELSEWHERE
    for kind, name in (("Deployment", "prakerja-api"), ("Deployment", "prakerja-worker"), ("Job", "prakerja-migrate")):
        _, names = _container(kind, name)
        assert names <= known, (name, names - known)


def test_required_settings_reach_every_process_and_secrets_only_by_reference():
    for name in ("prakerja-api", "prakerja-worker"):
        container, names = _container("Deployment", name)
        assert names >= REQUIRED | {"TEMPORAL_ADDRESS"}, (name, REQUIRED - names)
        for var in container["env"]:
            if var["name"] in {"DATABASE_URL", "CASE_HMAC_KEY", "JWT_SECRET", "PII_KEYS", "PAYLOAD_KEYS"}:
                assert "value" not in var and "secretKeyRef" in var["valueFrom"], var
    _, names = _container("Job", "prakerja-migrate")
    assert {"DATABASE_URL", "CASE_HMAC_KEY", "PII_KEYS", "PII_ACTIVE_KEY"} <= names  # 0012 seals with them


def test_probes_hit_what_the_processes_serve():
    api, _ = _container("Deployment", "prakerja-api")
    assert (api["readinessProbe"]["httpGet"]["path"], api["livenessProbe"]["httpGet"]["path"]) == ("/readyz", "/livez")
    worker, _ = _container("Deployment", "prakerja-worker")
    bind = next(e["value"] for e in worker["env"] if e["name"] == "WORKER_HEALTH_BIND")
    port = next(p["containerPort"] for p in worker["ports"] if p["name"] == worker["readinessProbe"]["httpGet"]["port"])
    assert bind.endswith(f":{port}") and worker["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["command"] == ["python", "server.py"] and worker["command"] == ["python", "worker.py"]


def test_compose_and_the_example_env_cover_the_required_settings():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / "deploy" / "prakerja.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    for service in ("migrate", "server", "worker"):
        names = set(compose["services"][service]["environment"]) | example
        assert names >= REQUIRED | {"TEMPORAL_ADDRESS"}, (service, REQUIRED - names)
        assert names <= _known_variables() | READ_ELSEWHERE | {"WORKER_HEALTH_BIND", "METRICS_BIND"}
