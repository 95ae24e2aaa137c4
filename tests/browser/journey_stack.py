"""A second, small stack for a whole participant journey under ``LOADTEST_2023`` (incentives due in seconds).

It shares the session's embedded PostgreSQL and Temporal server (and their settings) but has its own task queue,
its own worker and its own app, served over HTTP for the browser. The session stack's scheme (``NORMAL_2023_X60``)
pays its first incentive ~24 minutes after the prerequisites, too late for a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx2
import uvicorn
from temporalio.client import Client

from adapters.db.case_store import PgCaseStore
from adapters.db.change_feed import PgChangeFeed
from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.partner_api import PgPartnerApiStore
from adapters.db.pii import pii_cipher
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.registries.fake import fake_registries
from adapters.temporal import connect, payload_codec
from domain.change_feed import CASE_CHANGES, STAFF_QUEUES
from server import api_ports, create_app
from settings import Settings
from tests.conftest import POPULATION, Stack, free_port, stack_worker_ports
from worker import build_worker

SCHEME = "LOADTEST_2023"


@dataclass
class Served:
    stack: Stack
    """The small stack, with the session stack's helpers (``gql``, ``token``) working against its app."""
    url: str
    """Where the browser reaches its app."""




@contextlib.asynccontextmanager
async def served(app: object) -> AsyncIterator[str]:
    """``app`` over real HTTP on a free port, as a task on the running loop (its engine and client live there)."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", lifespan="off", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the journey's server did not start"
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def loadtest_stack(session_settings: Settings) -> AsyncIterator[Served]:
    """The small stack over the session's PostgreSQL and Temporal: own task queue, ``LOADTEST_2023``."""
    settings = dataclasses.replace(session_settings, task_queue=f"journey-{uuid.uuid4().hex[:8]}", scheme_id=SCHEME)
    engine = make_engine(settings.database_url)
    client: Client = await connect(settings.temporal_address, codec=payload_codec(settings))
    key = settings.blind_index_key.reveal().encode()
    store = PgCaseStore(engine, blind_key=key, cipher=pii_cipher(settings))
    fakes = fake_registries(POPULATION, latency=(0.002, 0.01))
    partner = FakePaymentPartner(engine, latency=(0.002, 0.01))
    await partner.ensure_schema()
    worker = build_worker(
        client, task_queue=settings.task_queue, ports=stack_worker_ports(engine, store, fakes, partner, key)
    )
    feed = PgChangeFeed(engine, (CASE_CHANGES, STAFF_QUEUES))
    app = create_app(settings, api_ports(settings, engine, client, feed))
    try:
        async with (
            worker,
            httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://journey") as http,
            served(app) as url,
        ):
            stack = Stack(
                settings=settings,
                client=client,
                store=store,
                http=http,
                registries={f.registry.value: f for f in fakes},
                population=POPULATION,
                engine=engine,
                market=PgMarketplace(engine),
                partner=partner,
                app=app,
                partner_api=PgPartnerApiStore(engine),
            )
            yield Served(stack, url)
    finally:
        await feed.close()
        await engine.dispose()
