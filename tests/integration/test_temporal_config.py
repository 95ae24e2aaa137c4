"""The Temporal connection through ``temporalio.envconfig`` (profiles, TLS/mTLS files, API key) with today's
``TEMPORAL_ADDRESS``/``TEMPORAL_NAMESPACE`` still working; the worker's search-attribute registration against a dev
server started without them, and its message when the namespace refuses."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from adapters.search_attributes import ensure_search_attributes
from adapters.temporal import connect_client, connect_options
from devstack.embedded import start_temporal
from settings import Settings
from tests.conftest import TEST_PII_KEYS, free_port
from workflows.search_attributes import ALL_SEARCH_ATTRIBUTES

BASE = {
    "DATABASE_URL": "postgresql+asyncpg://unused/unused",
    "CASE_HMAC_KEY": "k",
    "JWT_SECRET": "s",
    "PII_KEYS": TEST_PII_KEYS,
    "PII_ACTIVE_KEY": "pii-test1",
}
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def _profiles(tmp_path: Path, address: str) -> Path:
    for name in ("ca.pem", "client.pem", "client.key"):
        (tmp_path / name).write_text(PEM.replace("MIIB", name))
    path = tmp_path / "temporal.toml"
    path.write_text(
        f"""
[profile.default]
address = "{address}"

[profile.cluster]
address = "temporal.internal:7233"
namespace = "prakerja"
[profile.cluster.tls]
server_ca_cert_path = "{tmp_path / "ca.pem"}"
server_name = "temporal.internal"
client_cert_path = "{tmp_path / "client.pem"}"
client_key_path = "{tmp_path / "client.key"}"
"""
    )
    return path


def test_todays_address_and_namespace_still_work():
    env = BASE | {"TEMPORAL_ADDRESS": "temporal:7233", "TEMPORAL_NAMESPACE": "prakerja"}
    options = connect_options(Settings.from_env(env), env)
    assert options == {"target_host": "temporal:7233", "namespace": "prakerja"}


def test_a_profile_with_mtls_files(tmp_path):
    env = BASE | {"TEMPORAL_CONFIG_FILE": str(_profiles(tmp_path, "x:1")), "TEMPORAL_PROFILE": "cluster"}
    options = connect_options(Settings.from_env(env), env)  # no TEMPORAL_ADDRESS needed with a profile
    assert (options["target_host"], options["namespace"]) == ("temporal.internal:7233", "prakerja")
    tls = options["tls"]
    assert isinstance(tls, TLSConfig) and tls.domain == "temporal.internal"
    assert tls.server_root_ca_cert == PEM.replace("MIIB", "ca.pem").encode()
    assert tls.client_cert == PEM.replace("MIIB", "client.pem").encode()
    assert tls.client_private_key == PEM.replace("MIIB", "client.key").encode()


def test_an_api_key_turns_tls_on_and_variables_override_the_profile(tmp_path):
    env = BASE | {
        "TEMPORAL_CONFIG_FILE": str(_profiles(tmp_path, "x:1")),
        "TEMPORAL_PROFILE": "cluster",
        "TEMPORAL_ADDRESS": "prakerja.a1b2c.tmprl.cloud:7233",
        "TEMPORAL_NAMESPACE": "prakerja.a1b2c",
        "TEMPORAL_API_KEY": "key-123",
        "TEMPORAL_GRPC_META_X_TENANT": "id",
    }
    options = connect_options(Settings.from_env(env), env)
    assert options["target_host"] == "prakerja.a1b2c.tmprl.cloud:7233"
    assert (options["namespace"], options["api_key"]) == ("prakerja.a1b2c", "key-123")
    assert options["tls"] and options["rpc_metadata"] == {"x-tenant": "id"}


def test_no_address_at_all_is_refused():
    env = BASE | {"TEMPORAL_CONFIG_FILE": "/nonexistent/temporal.toml"}
    with pytest.raises(RuntimeError, match="no Temporal address"):
        connect_options(Settings.from_env(env), env)


@pytest.fixture
def bare_temporal(tmp_path) -> Iterator[str]:
    """A dev server without our search attributes, as a fresh production namespace is."""
    server = start_temporal(
        tmp_path / "temporal", port=free_port(), ui_port=free_port(), extra_args=("--headless",), search_attributes=()
    )
    yield server.address
    server.stop()


async def test_the_worker_registers_missing_search_attributes_or_says_what_to_run(
    bare_temporal, tmp_path, monkeypatch, caplog
):
    env = BASE | {"TEMPORAL_CONFIG_FILE": str(_profiles(tmp_path, bare_temporal))}
    monkeypatch.delenv("TEMPORAL_ADDRESS", raising=False)
    monkeypatch.delenv("TEMPORAL_NAMESPACE", raising=False)
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", env["TEMPORAL_CONFIG_FILE"])  # connect_client reads the process env
    client = await connect_client(Settings.from_env(env), within=30)
    names = {k.name for k in ALL_SEARCH_ATTRIBUTES}
    assert names == {"CaseStage", "Province"}

    async def refused(*_args, **_kwargs):
        raise RPCError("Request unauthorized.", RPCStatusCode.PERMISSION_DENIED, b"")

    with monkeypatch.context() as m, caplog.at_level(logging.ERROR, logger="adapters.search_attributes"):
        m.setattr(client.operator_service, "add_search_attributes", refused)
        assert set(await ensure_search_attributes(client, ALL_SEARCH_ATTRIBUTES)) == names
    message = caplog.text
    assert "not allowed to register search attributes" in message and "PERMISSION_DENIED" in message
    assert "temporal operator search-attribute create --namespace default --name CaseStage --type Keyword" in message

    assert await ensure_search_attributes(client, ALL_SEARCH_ATTRIBUTES) == []  # now allowed: registered
    listed = await client.operator_service.list_search_attributes(ListSearchAttributesRequest(namespace="default"))
    assert names <= set(listed.custom_attributes)
    assert await client.count_workflows("CaseStage = 'ENROLLED' AND Province = '32'") is not None
    assert await ensure_search_attributes(client, ALL_SEARCH_ATTRIBUTES) == []  # idempotent
