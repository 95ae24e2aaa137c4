"""Session fixtures: real embedded PostgreSQL and Temporal dev server, an in-process worker, the ASGI app."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
import pytest_asyncio
from temporalio.client import Client

from activities import WorkerPorts
from adapters.db.case_store import PgCaseStore
from adapters.db.change_feed import PgChangeFeed
from adapters.db.complaints import PgComplaintDesk
from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.migrate import upgrade
from adapters.db.operator_desk import PgOperatorDesk
from adapters.db.outbox import PgOutbox
from adapters.db.partner_api import PgPartnerApiStore
from adapters.db.payments import PgPaymentStore
from adapters.db.pii import pii_cipher
from adapters.db.programme_records import PgProgrammeRecords
from adapters.db.quality import pg_quality
from adapters.db.receivables import PgReceivableStore
from adapters.db.reconciliation import PgReconciliationStore
from adapters.db.selection import PgSelection
from adapters.db.training_ledger import PgTrainingLedger
from adapters.db.waves import PgWaveStore
from adapters.db.what_if import PgWhatIfDesk
from adapters.holiday_calendar import IndonesianCalendar
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.question_bank import FileQuestionBank
from adapters.registries.fake import FakeRegistry, fake_registries
from adapters.registries.population import Population
from adapters.temporal import connect, payload_codec
from caseapi.shared.auth import Role, mint_token
from devstack.embedded import start_postgres, start_temporal
from domain.change_feed import CASE_CHANGES, STAFF_QUEUES
from server import api_ports, create_app
from settings import Settings
from worker import build_worker

# Exercise continue-as-new early: the dedupe state must survive it (platform.md §1.1).
CONTINUE_AS_NEW_AFTER = 6


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cases-test-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def pg_url(data_dir: Path) -> Iterator[str]:
    pg = start_postgres(data_dir / "pg")
    upgrade(pg.url)
    yield pg.url
    pg.stop()


@pytest.fixture(scope="session")
def temporal_address(data_dir: Path) -> Iterator[str]:
    server = start_temporal(
        data_dir / "temporal",
        port=free_port(),
        ui_port=free_port(),
        extra_args=(
            "--headless",
            "--dynamic-config-value",
            f"limit.historyCount.suggestContinueAsNew={CONTINUE_AS_NEW_AFTER}",
        ),
    )
    yield server.address
    server.stop()


@pytest.fixture(scope="session")
def settings(pg_url: str, temporal_address: str) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": pg_url,
            "TEMPORAL_ADDRESS": temporal_address,
            "CASE_HMAC_KEY": "test-blind-index-key",
            "JWT_SECRET": "test-jwt-secret-of-sufficient-length-0123456789",
            "TASK_QUEUE": f"participants-{uuid.uuid4().hex[:8]}",
            "DEV_MODE": "1",
            # Durations /60: a 25-second test, registry retries after 0.5 s.
            "PROGRAMME_SCHEME": "NORMAL_2023_X60",
            # A fixed test-only key: payloads are encrypted like in production, and recorded histories replay.
            "PAYLOAD_KEYS": TEST_PAYLOAD_KEYS,
            "PAYLOAD_ACTIVE_KEY": "test1",
            "PII_KEYS": TEST_PII_KEYS,
            "PII_ACTIVE_KEY": "pii-test1",
        }
    )


POPULATION = Population.generate(seed=7, size=20_000)
TEST_PAYLOAD_KEYS = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
TEST_PII_KEYS = "pii-test1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="


@dataclass
class Stack:
    settings: Settings
    client: Client
    store: PgCaseStore
    http: httpx2.AsyncClient
    registries: dict[str, FakeRegistry]
    population: Population
    engine: Any
    market: PgMarketplace
    partner: FakePaymentPartner
    app: Any
    partner_api: PgPartnerApiStore

    def token(self, role: Role, subject: str | None = None, **extra: Any) -> str:
        endpoint = "staff" if role in (Role.STAFF, Role.SUPERVISOR, Role.ASSESSOR, Role.MONITOR) else role.value
        if role in (Role.STAFF, Role.SUPERVISOR):
            extra.setdefault("provinces", ["*"])
        return mint_token(
            secret=self.settings.jwt_secret.reveal(),
            issuer=self.settings.jwt_issuer,
            endpoint=endpoint,
            subject=subject or f"acct-{uuid.uuid4().hex[:12]}",
            role=role,
            **extra,
        )

    async def gql(
        self,
        endpoint: str,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        lang: str | None = "en",
    ) -> dict[str, Any]:
        """``lang`` is sent as ``Accept-Language``: the suite reads participant texts in English (its assertions
        predate the catalogue); ``None`` sends none, so the API's default (Bahasa Indonesia) answers."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        if lang is not None:
            headers["accept-language"] = lang
        resp = await self.http.post(
            f"/graphql/{endpoint}", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert "errors" not in body, body
        return body["data"]


def stack_worker_ports(
    engine: Any, store: PgCaseStore, fakes: list[FakeRegistry], partner: FakePaymentPartner, key: bytes
) -> WorkerPorts:
    """The worker's ports over one engine, with the fake registries and payment partner (every test stack's)."""
    return WorkerPorts(
        calendar=IndonesianCalendar(),
        complaints=PgComplaintDesk(engine),
        audit=PgOperatorDesk(engine),
        case_store=store,
        registries=[PgProgrammeRecords(engine), *fakes],
        question_bank=FileQuestionBank(),
        wave_store=PgWaveStore(engine),
        selection=PgSelection(engine),
        blind_key=key,
        training_ledger=PgTrainingLedger(engine),
        outbox=PgOutbox(engine),
        partner=partner,
        payments=PgPaymentStore(engine),
        receivables=PgReceivableStore(engine),
        reconciliation=PgReconciliationStore(engine),
        what_ifs=PgWhatIfDesk(engine),
        quality=pg_quality(engine),
        case_reader=store,
    )


@pytest_asyncio.fixture(scope="session")
async def stack(settings: Settings) -> AsyncIterator[Stack]:
    engine = make_engine(settings.database_url)
    client = await connect(settings.temporal_address, codec=payload_codec(settings))
    key = settings.blind_index_key.reveal().encode()
    store = PgCaseStore(engine, blind_key=key, cipher=pii_cipher(settings))
    fakes = fake_registries(POPULATION, latency=(0.002, 0.01))
    partner = FakePaymentPartner(engine, latency=(0.002, 0.01))
    await partner.ensure_schema()
    worker = build_worker(
        client,
        task_queue=settings.task_queue,
        ports=stack_worker_ports(engine, store, fakes, partner, key),
    )
    market = PgMarketplace(engine)
    partner_api = PgPartnerApiStore(engine)
    feed = PgChangeFeed(engine, (CASE_CHANGES, STAFF_QUEUES))
    app = create_app(settings, api_ports(settings, engine, client, feed))
    async with (
        worker,
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http,
    ):
        yield Stack(
            settings=settings,
            client=client,
            store=store,
            http=http,
            registries={f.registry.value: f for f in fakes},
            population=POPULATION,
            engine=engine,
            market=market,
            partner=partner,
            app=app,
            partner_api=partner_api,
        )
    await feed.close()
    await engine.dispose()


# The Python SDK can abort at interpreter exit (sdk-python#300): keep pytest's exit code, skip the abort.
@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config._exit_code = int(exitstatus)  # type: ignore[attr-defined]


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    if os.environ.get("PYTEST_NO_HARD_EXIT") != "1":
        os._exit(getattr(config, "_exit_code", 0))
