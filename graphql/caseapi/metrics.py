"""The API server's own metrics (OpenTelemetry instruments; docs/deploy.md, "Telemetry", lists them).

Every label value is bounded: GraphQL root field names from the schema, route templates from the router, HTTP
status codes, error codes from the catalogues. Never a path with an ID in it, a client-chosen operation name or
anything a user typed.
"""

from __future__ import annotations

import time

from opentelemetry import metrics
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SCOPE = "prakerja.api"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

OK, ERROR, INVALID, SERVER_ERROR = "ok", "error", "invalid", "server_error"
"""``result``: answered; a typed error (``error.code`` says which); a request the schema or router refused (parse,
validation, 4xx without a code); an unexpected failure (masked GraphQL error, HTTP 5xx)."""


class ApiMetrics:
    """The instruments, created once per app from one meter (a no-op meter when metrics are off)."""

    def __init__(self, meter_provider: metrics.MeterProvider | None = None) -> None:
        meter = metrics.get_meter(SCOPE, meter_provider=meter_provider)
        self.requests = meter.create_counter(
            "prakerja.api.requests", unit="{request}", description="Requests by api, operation and result."
        )
        self.duration = meter.create_histogram(
            "prakerja.api.request.duration",
            unit="s",
            description="Time to answer, by api, operation and result.",
            explicit_bucket_boundaries_advisory=LATENCY_BUCKETS,
        )
        self.websockets = meter.create_up_down_counter(
            "prakerja.api.websockets.open", unit="{connection}", description="Open GraphQL WebSockets by api."
        )
        self.rate_limited = meter.create_counter(
            "prakerja.api.rate_limited", unit="{request}", description="Requests refused by a rate limit (429)."
        )
        self.feed_lag = meter.create_histogram(
            "prakerja.change_feed.lag",
            unit="s",
            description="From a case's change in its workflow to its notification reaching this server.",
            explicit_bucket_boundaries_advisory=LAG_BUCKETS,
        )

    def record(self, api: str, operation: str, result: str, seconds: float, code: str = "") -> None:
        attributes = {"api": api, "operation": operation, "result": result}
        if code:
            attributes["error.code"] = code
        self.requests.add(1, attributes)
        self.duration.record(seconds, attributes)
        if code.endswith("RATE_LIMITED") or code == "429":
            self.rate_limited.add(1, {"api": api, "operation": operation})

    def change_feed_lag(self, channel: str, seconds: float) -> None:
        self.feed_lag.record(max(seconds, 0.0), {"channel": channel})


def route_template(scope: Scope) -> str:
    """The path template of the route that serves ``scope`` (``/api/v1/…``, a mount's prefix), or ``unmatched``."""
    app = scope.get("app")
    for route in getattr(app, "routes", ()):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", "")) or "/"
    return "unmatched"


def graphql_api(path: str) -> str | None:
    """``graphql.participant`` for ``/graphql/participant``; ``None`` for any other path."""
    if path.startswith("/graphql/"):
        name = path.removeprefix("/graphql/")
        return f"graphql.{name}" if name in ("participant", "staff", "partner") else None
    return None


def http_result(status: int) -> tuple[str, str]:
    if status >= 500:
        return SERVER_ERROR, str(status)
    if status >= 400:
        return (ERROR if status in (401, 403, 409, 413, 429) else INVALID), str(status)
    return OK, ""


class ApiMetricsMiddleware:
    """Plain ASGI: open WebSockets; per route, requests, latency and 429s of everything that is not a GraphQL
    operation (those are measured per operation by :class:`caseapi.operation_metrics.OperationMetrics`)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        attributes = {"api": graphql_api(scope["path"]) or "other"}
        accepted = False

        async def observed(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                self.metrics.websockets.add(1, attributes)
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            if accepted:
                self.metrics.websockets.add(-1, attributes)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        api = graphql_api(scope["path"])
        status = 500
        started = time.perf_counter()

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            if api is None or status >= 400:
                self._record_http(scope, api, status, time.perf_counter() - started)

    def _record_http(self, scope: Scope, api: str | None, status: int, seconds: float) -> None:
        """A GraphQL request is measured here only when it never reached an operation (a 4xx/5xx of the view)."""
        result, code = http_result(status)
        operation = route_template(scope) if api is None else "http"
        self.metrics.record(api or _http_api(scope["path"]), operation, result, seconds, code)


def _http_api(path: str) -> str:
    return "rest" if path.startswith("/api/") else "http"
