"""Composition root of the GraphQL server: settings -> engine, Temporal client -> Starlette app."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

import uvicorn
import uvloop
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from temporalio.client import Client

from adapters.db.case_store import PgCaseStore
from adapters.db.change_feed import PgChangeFeed
from adapters.db.complaints import PgComplaintDesk
from adapters.db.dev_inbox import PgSentMessages
from adapters.db.engine import make_engine
from adapters.db.integrity import PgIntegrity
from adapters.db.job_board import PgJobBoard
from adapters.db.marketplace import PgMarketplace
from adapters.db.operator_desk import PgOperatorDesk
from adapters.db.partner_api import PgPartnerApiStore
from adapters.db.payments import PgPaymentStore
from adapters.db.pii import pii_cipher
from adapters.db.quality import pg_quality
from adapters.db.rate_limit import PgRateLimiter
from adapters.db.receivables import PgReceivableStore
from adapters.db.reconciliation import PgReconciliationStore
from adapters.db.selection import PgSelection
from adapters.db.waves import PgWaveStore
from adapters.db.what_if import PgWhatIfDesk
from adapters.health import readiness_checks
from adapters.holiday_calendar import IndonesianCalendar
from adapters.question_bank import FileQuestionBank
from adapters.telemetry import Telemetry, instrument_engine, logging_config, setup_logging, setup_telemetry
from adapters.temporal import connect_client
from caseapi.codec_server import codec_routes
from caseapi.dev_inbox import dev_inbox_routes
from caseapi.health import Check, health_routes
from caseapi.metrics import ApiMetrics, ApiMetricsMiddleware
from caseapi.rest import RateLimiter
from caseapi.routes import graphql_routes
from caseapi.shared.context import ApiConfig
from caseapi.shared.oidc import Oidc
from caseapi.shared.ports import ApiPorts
from caseapi.temporal_ui_proxy import temporal_ui_routes
from caseapi.web_console import console_routes
from domain.change_feed import CASE_CHANGES, STAFF_QUEUES, ChangeFeed
from domain.payouts.ports import PayoutBooks
from settings import Settings

WEB_DIR = Path(__file__).resolve().parent / "web"
"""The console's static files (plain ES modules, no build step)."""


def api_config(settings: Settings) -> ApiConfig:
    return ApiConfig(
        task_queue=settings.task_queue,
        scheme_id=settings.scheme_id,
        blind_index_key=settings.blind_index_key.reveal().encode(),
        temporal_ui_url=settings.temporal_ui_url,
        temporal_namespace=settings.temporal_namespace,
        update_timeout_seconds=settings.update_timeout_seconds,
        four_eyes_ttl_minutes=settings.four_eyes_ttl_minutes,
    )


def create_app(
    settings: Settings,
    ports: ApiPorts,
    *,
    readiness: Mapping[str, Check] | None = None,
    telemetry: Telemetry | None = None,
    metrics: ApiMetrics | None = None,
) -> Starlette:
    """The app over already-built ports (tests build them with the same factories); ``readiness``: the checks
    ``/readyz`` runs (PostgreSQL, Temporal, migrations); ``telemetry``: spans of every request (OpenTelemetry's
    ASGI middleware) and of GraphQL operations, and the API's metrics (``metrics``, else built on its meter)."""
    if telemetry is not None and telemetry.meter_provider is not None and metrics is None:
        metrics = ApiMetrics(telemetry.meter_provider)
    tracer_provider = telemetry.tracer_provider if telemetry is not None else None
    routes = graphql_routes(
        ports,
        config=api_config(settings),
        jwt_secret=settings.jwt_secret.reveal(),
        jwt_issuer=settings.jwt_issuer,
        dev=settings.dev_mode,
        tracing=tracer_provider is not None,
        oidc=oidc_of(settings),
        tracer_provider=tracer_provider,
        metrics=metrics,
    )
    codec = ports.client.data_converter.payload_codec
    if codec is not None and ports.desk is not None:  # staff read encrypted histories (Temporal UI / CLI codec)
        routes = [
            *routes,
            *codec_routes(
                codec,
                jwt_secret=settings.jwt_secret.reveal(),
                jwt_issuer=settings.jwt_issuer,
                ui_origin=settings.temporal_ui_url,
                audit=ports.desk.audit,
                oidc=oidc_of(settings),
            ),
        ]
    console = console_routes(
        web_dir=WEB_DIR, dev=settings.dev_mode, jwt_secret=settings.jwt_secret.reveal(), jwt_issuer=settings.jwt_issuer
    )
    dev_routes = dev_inbox_routes(dev=settings.dev_mode, messages=ports.inbox)  # 404 without DEV_MODE
    if settings.dev_mode:  # the Temporal UI on this origin for staff, decoding with their session
        secret, issuer = settings.jwt_secret.reveal(), settings.jwt_issuer
        dev_routes += temporal_ui_routes(upstream=settings.temporal_ui_upstream, secret=secret, issuer=issuer)
    return Starlette(
        routes=[*health_routes(readiness or {}), *routes, *dev_routes, *console],
        middleware=observed(telemetry, metrics),
    )


def observed(telemetry: Telemetry | None, metrics: ApiMetrics | None) -> list[Middleware]:
    """The request span (its trace continues into GraphQL, Temporal and SQL) and the API's HTTP metrics."""
    middleware = []
    if telemetry is not None and (telemetry.tracer_provider or telemetry.meter_provider):
        middleware.append(
            Middleware(
                OpenTelemetryMiddleware,  # type: ignore[arg-type]
                tracer_provider=telemetry.tracer_provider,
                meter_provider=telemetry.meter_provider,
                exclude_spans=["receive", "send"],
            )
        )
    if metrics is not None:
        middleware.append(Middleware(ApiMetricsMiddleware, metrics=metrics))  # type: ignore[arg-type]
    return middleware


def oidc_of(settings: Settings) -> Oidc | None:
    """The identity provider's token check when ``OIDC_ISSUER`` is set (docs/deploy.md, "Identity")."""
    if not settings.oidc_issuer:
        return None
    return Oidc(
        issuer=settings.oidc_issuer,
        jwks_url=settings.oidc_jwks_url,
        audiences=dict(settings.oidc_audiences),
        role_claim=settings.oidc_role_claim,
        provinces_claim=settings.oidc_provinces_claim,
    )


def api_ports(settings: Settings, engine: AsyncEngine, client: Client, feed: ChangeFeed | None) -> ApiPorts:
    """The API's adapters over one engine and client: the one place the port list is filled in."""
    rate, burst = settings.partner_rate
    return ApiPorts(
        client=client,
        reader=PgCaseStore(engine, blind_key=settings.blind_index_key.reveal().encode(), cipher=pii_cipher(settings)),
        question_bank=FileQuestionBank(),
        waves=PgWaveStore(engine),
        selection=PgSelection(engine),
        market=PgMarketplace(engine),
        books=PayoutBooks(PgPaymentStore(engine), PgReconciliationStore(engine), PgReceivableStore(engine)),
        desk=PgOperatorDesk(engine),
        complaints=PgComplaintDesk(engine),
        feed=feed,
        jobs=PgJobBoard(engine),
        calendar=IndonesianCalendar(),
        partner_api=PgPartnerApiStore(engine),
        inbox=PgSentMessages(engine) if settings.dev_mode else None,
        rate_limit=PgRateLimiter(engine, rate=rate, burst=burst)
        if settings.rate_limit_store == "postgres"
        else RateLimiter(rate=rate, burst=burst),
        what_ifs=PgWhatIfDesk(engine),
        integrity=PgIntegrity(engine),
        quality=pg_quality(engine),
    )


def listen_engine(settings: Settings, engine: AsyncEngine) -> AsyncEngine:
    """The change feed's LISTEN needs a session of its own: behind a transaction pooler it goes straight to
    PostgreSQL (``DATABASE_LISTEN_URL``); otherwise it is one connection of the main pool."""
    if settings.database_listen_url:
        return make_engine(settings.database_listen_url, pool_size=1, max_overflow=1)
    if settings.database_pooler == "transaction":
        raise RuntimeError("DATABASE_POOLER=transaction needs DATABASE_LISTEN_URL (LISTEN cannot pass the pooler)")
    return engine


async def serve(settings: Settings) -> None:
    """Build the engine and the Temporal client, serve until interrupted, then release them."""
    setup_logging(access_log=settings.access_log)
    log_config = logging_config(access_log=settings.access_log)  # uvicorn applies it again: JSON lines, scrubbed
    telemetry = setup_telemetry("prakerja-server", settings.otel_traces)
    engine = make_engine(settings.database_url, pooler=settings.database_pooler)
    if telemetry.tracer_provider or telemetry.meter_provider:  # SQL spans, the pool's connection counts
        instrument_engine(engine, tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider)
    client = await connect_client(settings, tracer_provider=telemetry.tracer_provider)
    metrics = ApiMetrics(telemetry.meter_provider) if telemetry.meter_provider is not None else None  # else no cost
    listen = listen_engine(settings, engine)
    feed = PgChangeFeed(listen, (CASE_CHANGES, STAFF_QUEUES), lag=metrics.change_feed_lag if metrics else None)
    ports = api_ports(settings, engine, client, feed)
    app = create_app(settings, ports, readiness=readiness_checks(engine, client), telemetry=telemetry, metrics=metrics)
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        access_log=settings.access_log,
        log_config=log_config,
        log_level="info",
        loop="uvloop",
        http="httptools",
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await feed.close()
        if listen is not engine:
            await listen.dispose()
        await engine.dispose()
        telemetry.shutdown()  # flush the last spans and metric points


def main() -> None:
    # uvicorn re-raises the stop signal after a clean shutdown; that is not an error.
    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(serve(Settings.from_env()))


if __name__ == "__main__":
    main()
