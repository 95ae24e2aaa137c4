"""Second apps over the session stack's resources: production settings (``DEV_MODE`` off), or a broken reader."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx2

from adapters.db.waves import PgWaveStore
from server import api_ports, create_app

ENDPOINTS = ("participant", "staff", "partner")


class ExplodingReader:
    """The stack's case reader, except that looking a participant's case up fails unexpectedly."""

    SECRET = "db-password=hunter2 at 10.0.0.7"

    def __init__(self, reader: Any) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    async def by_account(self, account_id: str) -> Any:
        raise RuntimeError(f"connection refused: {self.SECRET}")


@contextlib.asynccontextmanager
async def app_client(
    stack: Any, *, dev_mode: bool, reader: Any = None, waves: Any = None
) -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client on a new app built like ``server.create_app`` does, over the stack's engine and client."""
    engine = stack.engine
    settings = dataclasses.replace(stack.settings, dev_mode=dev_mode)
    ports = dataclasses.replace(
        api_ports(settings, engine, stack.client, None),
        reader=reader or stack.store,
        waves=waves or PgWaveStore(engine),
        market=stack.market,
    )
    app = create_app(settings, ports)
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http:
        yield http
