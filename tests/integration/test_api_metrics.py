"""The API server's metrics (caseapi.metrics, caseapi.operation_metrics) read back from an in-memory reader: per
GraphQL operation and result with bounded labels, per REST route template, 429s, open WebSockets, and the change
feed's lag over a real PostgreSQL NOTIFY."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from adapters.db.change_feed import PgChangeFeed
from adapters.telemetry import Telemetry
from caseapi.metrics import ApiMetrics, ApiMetricsMiddleware
from caseapi.shared.auth import Role
from domain.change_feed import CASE_CHANGES
from server import api_ports, create_app


def points(reader: InMemoryMetricReader) -> dict[str, list[tuple[dict[str, Any], Any]]]:
    """Metric name -> (attributes, value or sum/count) of each data point."""
    out: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    data = reader.get_metrics_data()
    for rm in data.resource_metrics if data else ():
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                for p in m.data.data_points:
                    value = getattr(p, "value", None)
                    if value is None:
                        value = (p.sum, p.count)
                    out.setdefault(m.name, []).append((dict(p.attributes or {}), value))
    return out


def meter() -> tuple[InMemoryMetricReader, MeterProvider]:
    reader = InMemoryMetricReader()
    return reader, MeterProvider(metric_readers=[reader])


async def test_graphql_operations_are_counted_by_root_field_and_result_never_by_client_text(stack):
    reader, provider = meter()
    app = create_app(
        stack.settings, api_ports(stack.settings, stack.engine, stack.client, None), telemetry=Telemetry(None, provider)
    )
    token = stack.token(Role.PARTICIPANT)
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http:

        async def post(query: str, *, auth: bool = True) -> dict[str, Any]:
            headers = {"authorization": f"Bearer {token}"} if auth else {}
            resp = await http.post("/graphql/participant", json={"query": query}, headers=headers)
            assert resp.status_code == 200, resp.text
            return resp.json()

        # A client-chosen operation name (here with a phone in it) never becomes a label.
        body = await post("query Budi_081234567890 { openWaves { __typename } }")
        assert "errors" not in body, body
        assert (await post("query { myCase { __typename ... on Error { code } } }", auth=False))["data"]["myCase"][
            "code"
        ] == "UNAUTHENTICATED"
        assert "errors" in await post("query { noSuchField }")
        assert "errors" in await post("query { myCase { ... on Case { noSuchField } } }")
    requests = {
        (a["operation"], a["result"], a.get("error.code", "")): v for a, v in points(reader)["prakerja.api.requests"]
    }
    assert requests == {
        ("query openWaves", "ok", ""): 1,
        ("query myCase", "error", "UNAUTHENTICATED"): 1,
        ("query unknown", "invalid", ""): 1,
        ("query myCase", "invalid", ""): 1,
    }, requests
    durations = points(reader)["prakerja.api.request.duration"]
    assert all(a["api"] == "graphql.participant" and count == 1 for a, (_, count) in durations)


async def _thing(request: Any) -> JSONResponse:
    limited = request.path_params["id"] == "busy"
    return JSONResponse({"ok": not limited}, status_code=429 if limited else 200)


async def _socket(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.receive_text()
    await websocket.close()


async def test_rest_routes_are_labelled_by_template_429s_counted_and_websockets_gauged():
    reader, provider = meter()
    metrics = ApiMetrics(provider)
    app = Starlette(
        routes=[Route("/api/v1/things/{id}", _thing), WebSocketRoute("/graphql/participant", _socket)],
        middleware=[Middleware(ApiMetricsMiddleware, metrics=metrics)],  # type: ignore[arg-type]
    )
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http:
        assert (await http.get("/api/v1/things/3171014505900001")).status_code == 200
        assert (await http.get("/api/v1/things/busy")).status_code == 429
        assert (await http.get("/elsewhere")).status_code == 404
    got = points(reader)
    requests = {
        (a["api"], a["operation"], a["result"], a.get("error.code", "")) for a, _ in got["prakerja.api.requests"]
    }
    assert requests == {
        ("rest", "/api/v1/things/{id}", "ok", ""),
        ("rest", "/api/v1/things/{id}", "error", "429"),
        ("http", "unmatched", "invalid", "404"),
    }, requests
    assert got["prakerja.api.rate_limited"] == [({"api": "rest", "operation": "/api/v1/things/{id}"}, 1)]

    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[dict[str, Any]] = []
    accepted = asyncio.Event()
    await inbox.put({"type": "websocket.connect"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        accepted.set()

    scope = {"type": "websocket", "path": "/graphql/participant", "headers": [], "query_string": b"", "app": app}
    serving = asyncio.create_task(app(scope, inbox.get, send))
    await asyncio.wait_for(accepted.wait(), 5)
    assert sent[0]["type"] == "websocket.accept"
    assert points(reader)["prakerja.api.websockets.open"] == [({"api": "graphql.participant"}, 1)]
    await inbox.put({"type": "websocket.receive", "text": "bye"})
    await serving
    assert points(reader)["prakerja.api.websockets.open"] == [({"api": "graphql.participant"}, 0)]


async def test_change_feed_lag_is_measured_from_the_change_to_its_arrival(stack):
    lags: list[tuple[str, float]] = []
    feed = PgChangeFeed(stack.engine, (CASE_CHANGES,), lag=lambda channel, s: lags.append((channel, s)))
    try:
        async with feed.subscribe(CASE_CHANGES) as messages:
            async with stack.engine.begin() as conn:
                await conn.execute(
                    text(
                        "SELECT pg_notify('case_changes', json_build_object('case_id', 'lag-probe', 'account_id', "
                        "'lag-probe', 'updated_at', now() - interval '2 seconds')::text)"
                    )
                )
            message = await asyncio.wait_for(anext(aiter(messages)), 10)
            while message.get("case_id") != "lag-probe":
                message = await asyncio.wait_for(anext(aiter(messages)), 10)
    finally:
        await feed.close()
    assert any(channel == CASE_CHANGES and 1.9 < seconds < 10 for channel, seconds in lags), lags
