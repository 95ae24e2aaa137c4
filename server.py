"""Composition root of the GraphQL server: settings -> engine, Temporal client -> Starlette app."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

import uvicorn
import uvloop
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from temporalio.client import Client

from adapters.db.case_store import PgCaseStore
from adapters.db.change_feed import PgChangeFeed
from adapters.db.complaints import PgComplaintDesk
from adapters.db.dev_inbox import PgSentMessages
from adapters.db.engine import make_engine
from adapters.db.job_board import PgJobBoard
from adapters.db.marketplace import PgMarketplace
from adapters.db.operator_desk import PgOperatorDesk
from adapters.db.partner_api import PgPartnerApiStore
from adapters.db.payments import PgPaymentStore
from adapters.db.pii import pii_cipher
from adapters.db.quality import pg_quality
from adapters.db.receivables import PgReceivableStore
from adapters.db.reconciliation import PgReconciliationStore
from adapters.db.selection import PgSelection
from adapters.db.waves import PgWaveStore
from adapters.health import readiness_checks
from adapters.holiday_calendar import IndonesianCalendar
from adapters.question_bank import FileQuestionBank
from adapters.telemetry import instrument_engine, setup_logging, setup_tracing
from adapters.temporal import connect_client
from caseapi.codec_server import codec_routes
from caseapi.dev_inbox import dev_inbox_routes
from caseapi.health import Check, health_routes
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


def create_app(settings: Settings, ports: ApiPorts, *, readiness: Mapping[str, Check] | None = None) -> Starlette:
    """The app over already-built ports (tests build them with the same factories); ``readiness``: the checks
    ``/readyz`` runs (PostgreSQL, Temporal, migrations)."""
    routes = graphql_routes(
        ports,
        config=api_config(settings),
        jwt_secret=settings.jwt_secret.reveal(),
        jwt_issuer=settings.jwt_issuer,
        dev=settings.dev_mode,
        tracing=settings.otel_traces not in ("", "none"),
        oidc=oidc_of(settings),
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
    return Starlette(routes=[*health_routes(readiness or {}), *routes, *dev_routes, *console])


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
        quality=pg_quality(engine),
    )


async def serve(settings: Settings) -> None:
    """Build the engine and the Temporal client, serve until interrupted, then release them."""
    setup_logging()
    tracing = setup_tracing("prakerja-server", settings.otel_traces)
    engine = make_engine(settings.database_url)
    if tracing is not None:
        instrument_engine(engine)
    client = await connect_client(settings, traced=tracing is not None)
    feed = PgChangeFeed(engine, (CASE_CHANGES, STAFF_QUEUES))
    app = create_app(settings, api_ports(settings, engine, client, feed), readiness=readiness_checks(engine, client))
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        access_log=False,
        log_level="info",
        loop="uvloop",
        http="httptools",
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await feed.close()
        await engine.dispose()
        if tracing is not None:
            tracing.shutdown()  # flush the last spans


def main() -> None:
    # uvicorn re-raises the stop signal after a clean shutdown; that is not an error.
    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(serve(Settings.from_env()))


if __name__ == "__main__":
    main()
