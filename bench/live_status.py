"""The participant's phone in the lifecycle benchmark: its status page, kept live by the ``myCaseStatus``
subscription over graphql-transport-ws."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import websockets

# What the status page shows (stage and incentives), with the union member's name for the client's retries.
STATUS = """
query {
  myCase { __typename ... on Case { id stage incentives { number status dueAt } } ... on Error { code message } }
}"""
# The same, pushed: the status page's live subscription (a survey opening, a payment landing).
LIVE = """
subscription {
  myCaseStatus { __typename ... on CaseStatusUpdate { caseId stage version incentives { number status dueAt } } }
}"""


class LiveStatus:
    """The participant's phone on its status page: the ``myCaseStatus`` subscription (graphql-transport-ws) keeps
    the newest status; a phone that heard nothing for ``refresh`` seconds reads ``myCase`` once (a push lost to
    a reconnect costs a delay, never the run)."""

    def __init__(self, shim: Any, token: str, refresh: float = 10.0) -> None:
        self.shim, self.token, self.refresh = shim, token, refresh
        self.status: dict[str, Any] = {}
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LiveStatus:
        self._reader = asyncio.create_task(self._listen())
        return self

    async def __aexit__(self, *_: Any) -> None:
        assert self._reader is not None
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    async def _listen(self) -> None:
        """Subscribe, and subscribe again a second after the connection or the subscription ends (a server
        restart, or the database down when it started): like the app, which reconnects."""
        url = str(self.shim.http.base_url).replace("http", "ws", 1) + "/graphql/participant"
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}
        opened = 0
        while True:
            with contextlib.suppress(OSError, websockets.ConnectionClosed):
                async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
                    self.shim.live["subscribed again" if opened else "subscribed"] += 1
                    opened += 1
                    await ws.send(json.dumps(init))
                    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": LIVE}}))
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] in ("error", "complete"):
                            break
                        if message["type"] == "next":
                            self._set(message["payload"]["data"]["myCaseStatus"], pushed=True)
            await asyncio.sleep(1.0)

    def _set(self, status: dict[str, Any], *, pushed: bool) -> None:
        if "stage" in status and status.get("version", 0) >= self.status.get("version", 0):
            self.status = status
            self._changed.set()
        self.shim.live["pushed" if pushed else "read after a silence"] += 1

    async def until(self, ready: Any, within: float) -> dict[str, Any]:
        """The first status (pushed, or read after a silence) that ``ready`` accepts."""
        deadline = time.monotonic() + within
        while not (self.status and ready(self.status)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"status not reached in time: {self.status}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), self.refresh)
            except TimeoutError:
                case = (await self.shim.gql("participant", STATUS, token=self.token))["myCase"]
                self._set({**case, "version": self.status.get("version", 0)}, pushed=False)
        return self.status
