"""Composition root of the GraphQL server: settings -> engine, Temporal client -> Starlette app."""

from __future__ import annotations

import contextlib
from pathlib import Path

import uvicorn
import uvloop
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from temporalio.client import Client

from adapters.db.case_store import PgCaseStore
from adapters.db.change_feed import PgChangeFeed
from adapters.db.complaints import PgComplaintDesk
from adapters.db.engine import make_engine
from adapters.db.job_board import PgJobBoard
from adapters.db.marketplace import PgMarketplace
from adapters.db.operator_desk import PgOperatorDesk
from adapters.db.partner_api import PgPartnerApiStore
from adapters.db.payments import PgPaymentStore
from adapters.db.pii import pii_cipher
from adapters.db.receivables import PgReceivableStore
from adapters.db.reconciliation import PgReconciliationStore
from adapters.db.selection import PgSelection
from adapters.db.waves import PgWaveStore
from adapters.question_bank import FileQuestionBank
from adapters.telemetry import instrument_engine, setup_logging, setup_tracing
from adapters.temporal import connect_client
from caseapi.codec_server import codec_routes
from caseapi.routes import graphql_routes
from caseapi.shared.context import ApiConfig
from caseapi.shared.job_board import use_job_board
from caseapi.web_console import console_routes
from domain.complaints import ComplaintDesk
from domain.feed_ports import CASE_CHANGES, STAFF_QUEUES, ChangeFeed
from domain.market_ports import Marketplace
from domain.operator_ports import OperatorDesk
from domain.payout_ports import PayoutBooks
from domain.ports import CaseReader, QuestionBankSource, SelectionEngine, WaveStore
from domain.schedules import PartnerApiStore
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


async def health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(
    settings: Settings,
    *,
    client: Client,
    reader: CaseReader,
    waves: WaveStore,
    selection: SelectionEngine,
    market: Marketplace,
    books: PayoutBooks | None = None,
    desk: OperatorDesk | None = None,
    complaints: ComplaintDesk | None = None,
    feed: ChangeFeed | None = None,
    question_bank: QuestionBankSource | None = None,
    partner_api: PartnerApiStore | None = None,
) -> Starlette:
    """The app over already-built resources (tests build them with the same factories)."""
    routes = graphql_routes(
        client=client,
        reader=reader,
        question_bank=question_bank or FileQuestionBank(),
        waves=waves,
        selection=selection,
        market=market,
        books=books,
        desk=desk,
        complaints=complaints,
        feed=feed,
        config=api_config(settings),
        jwt_secret=settings.jwt_secret.reveal(),
        jwt_issuer=settings.jwt_issuer,
        dev=settings.dev_mode,
        tracing=settings.otel_traces not in ("", "none"),
        partner_api=partner_api,
    )
    codec = client.data_converter.payload_codec
    if codec is not None and desk is not None:  # staff read encrypted histories (Temporal UI / CLI codec server)
        routes = [
            *routes,
            *codec_routes(
                codec,
                jwt_secret=settings.jwt_secret.reveal(),
                jwt_issuer=settings.jwt_issuer,
                ui_origin=settings.temporal_ui_url,
                audit=desk.audit,
            ),
        ]
    console = console_routes(
        web_dir=WEB_DIR, dev=settings.dev_mode, jwt_secret=settings.jwt_secret.reveal(), jwt_issuer=settings.jwt_issuer
    )
    return Starlette(routes=[Route("/healthz", health), *routes, *console])


async def serve(settings: Settings) -> None:
    """Build the engine and the Temporal client, serve until interrupted, then release them."""
    setup_logging()
    tracing = setup_tracing("prakerja-server", settings.otel_traces)
    engine = make_engine(settings.database_url)
    if tracing is not None:
        instrument_engine(engine)
    client = await connect_client(settings, traced=tracing is not None)
    reader = PgCaseStore(engine, blind_key=settings.blind_index_key.reveal().encode(), cipher=pii_cipher(settings))
    feed = PgChangeFeed(engine, (CASE_CHANGES, STAFF_QUEUES))
    use_job_board(PgJobBoard(engine))
    app = create_app(
        settings,
        client=client,
        reader=reader,
        waves=PgWaveStore(engine),
        selection=PgSelection(engine),
        market=PgMarketplace(engine),
        books=PayoutBooks(PgPaymentStore(engine), PgReconciliationStore(engine), PgReceivableStore(engine)),
        desk=PgOperatorDesk(engine),
        complaints=PgComplaintDesk(engine),
        feed=feed,
        partner_api=PgPartnerApiStore(engine),
    )
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
