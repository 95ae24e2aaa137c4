"""The console's live client (web/js/live.js) in Chromium against the real stack: the API server restarts under an
open page and the next status change still arrives; every subscription of a page shares one WebSocket; a refused
or expired session sends the person to sign in instead of retrying; reconnect waits are jittered."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
import uvicorn
from playwright.async_api import expect

from caseapi.shared.auth import Role, mint_token
from tests.browser.conftest import MOBILE, screenshot
from tests.conftest import free_port
from tests.integration.helpers import fresh_clean_person
from tests.integration.queries import JOIN_WAVE
from tests.integration.wave_steps import create_wave, ready, wait_wave

STATUS = "subscription { myCaseStatus { __typename ... on CaseStatusUpdate { stage version } } }"
LIVE, PAUSED = "Pembaruan langsung aktif", "Pembaruan langsung terputus"


class RestartableServer:
    """The session stack's app behind a real uvicorn server on a fixed port that can be stopped and started."""

    def __init__(self, app: Any) -> None:
        self.app, self.port = app, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", ws="websockets-sansio"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            assert not self._task.done(), "the server did not start"
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        assert self._server is not None and self._task is not None
        self._server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), 10)
        except TimeoutError:
            self._server.force_exit = True
            await self._task
        self._server = self._task = None


@pytest_asyncio.fixture
async def server(stack: Any) -> AsyncIterator[RestartableServer]:
    srv = RestartableServer(stack.app)
    await srv.start()
    yield srv
    if srv._server is not None:
        await srv.stop()


async def page_with_token(browser: Any, base: str, token: str, *, exp: float | None = None) -> Any:
    """A page whose tab holds ``token`` (as the sign-in screen stores it); ``exp`` overrides the expiry the tab
    believes (a device clock that is behind)."""
    ctx = await browser.new_context(base_url=base, locale="id-ID", **MOBILE)
    page = await ctx.new_page()
    page.set_default_timeout(30_000)
    page.sockets = []  # type: ignore[attr-defined]
    page.on("websocket", lambda ws: page.sockets.append(ws))
    await page.goto("/#/signin")
    await page.evaluate(
        """async ([token, exp]) => {
          const m = await import("/js/session.js");
          const s = m.signIn(token);
          if (exp !== null) sessionStorage.setItem("prakerja.session", JSON.stringify({ ...s, exp }));
        }""",
        [token, exp],
    )
    return page


async def test_a_status_change_arrives_after_the_api_server_restarts(stack: Any, browser: Any, server: Any) -> None:
    person = fresh_clean_person(stack.population)
    token = await ready(stack, person)
    wave_id = await create_wave(stack, {person.province_code: 5})
    await wait_wave(stack, wave_id, "OPEN")
    page = await page_with_token(browser, server.url, token)
    await page.goto("/#/me")
    await expect(page.locator("#stage")).to_have_attribute("data-stage", "ELIGIBLE")
    await expect(page.locator("#live-state")).to_have_text(LIVE)

    # Two more subscriptions on the same page share the dashboard's socket.
    await page.evaluate(
        """async (q) => {
          const m = await import("/js/live.js");
          window.extra = [];
          for (const n of [1, 2]) m.subscribe(q, {}, (e) => window.extra.push([n, e.stage]));
        }""",
        STATUS,
    )
    await asyncio.sleep(0.5)
    assert len(page.sockets) == 1

    await server.stop()
    await expect(page.locator("#live-state")).to_have_text(PAUSED)
    await asyncio.sleep(1.5)  # reconnect attempts fail while the server is down
    await server.start()
    await expect(page.locator("#live-state")).to_have_text(LIVE, timeout=45_000)
    assert len([ws for ws in page.sockets if not ws.is_closed()]) == 1

    joined = (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]
    assert joined["__typename"] == "WaveHistoryEntry", joined
    # No reload: the update came over the reconnected socket, to every subscription on it.
    await expect(page.locator("#stage")).to_have_attribute("data-stage", "IN_WAVE", timeout=30_000)
    await page.wait_for_function("window.extra.filter(([, s]) => s === 'IN_WAVE').length === 2")
    await screenshot(page, "participant-live-after-restart")


async def test_a_token_that_expires_while_the_page_is_open_sends_the_person_to_sign_in(
    stack: Any, browser: Any, server: Any
) -> None:
    person = fresh_clean_person(stack.population)
    token = await ready(stack, person)
    subject = _claims(token)["sub"]
    short = stack.token(Role.PARTICIPANT, subject, ttl=dt.timedelta(seconds=8))
    page = await page_with_token(browser, server.url, short)
    await page.goto("/#/me")
    await expect(page.locator("#live-state")).to_have_text(LIVE)
    await asyncio.sleep(8.5)  # the token expires while the page is open
    await server.stop()
    await server.start()
    await page.wait_for_url("**/#/signin", timeout=45_000)
    await expect(page.locator("#signin-reason")).to_be_visible()
    assert await page.evaluate("sessionStorage.getItem('prakerja.session')") is None
    await screenshot(page, "participant-session-ended")


async def test_a_refused_connection_init_is_final(stack: Any, browser: Any, server: Any) -> None:
    """The server refuses the expired token (4403); the tab's clock thought it valid. One socket, no retries."""
    expired = mint_token(
        secret=stack.settings.jwt_secret.reveal(),
        issuer=stack.settings.jwt_issuer,
        endpoint="participant",
        subject="late-clock",
        role=Role.PARTICIPANT,
        ttl=dt.timedelta(minutes=-5),
    )
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).timestamp()
    page = await page_with_token(browser, server.url, expired, exp=future)
    closes: list[Any] = []
    page.on("websocket", lambda ws: ws.on("close", lambda *_: closes.append(ws)))
    await page.evaluate(
        """async (q) => { const m = await import("/js/live.js"); m.subscribe(q, {}, () => {}); }""", STATUS
    )
    await page.wait_for_url("**/#/signin", timeout=15_000)
    await expect(page.locator("#signin-reason")).to_be_visible()
    await asyncio.sleep(3)  # a retry loop would have opened more sockets by now
    assert len(page.sockets) == 1 and len(closes) == 1


async def test_reconnect_waits_have_full_jitter_under_an_exponential_cap(stack: Any, browser: Any, server: Any) -> None:
    page = await page_with_token(browser, server.url, stack.token(Role.PARTICIPANT))
    result = await page.evaluate(
        """async () => {
          const m = await import("/js/live.js");
          const samples = Array.from({ length: 400 }, () => m.backoffDelay(4));
          return {
            top: [0, 1, 2, 3, 10, 30].map((a) => m.backoffDelay(a, () => 0.999999)),
            zero: m.backoffDelay(6, () => 0),
            min: Math.min(...samples), max: Math.max(...samples), distinct: new Set(samples).size,
          };
        }"""
    )
    assert result["top"] == [499, 999, 1999, 3999, 29999, 29999]  # base 500 ms doubling, capped at 30 s
    assert result["zero"] == 0
    # attempt 4: uniform over [0, 8000): spread across the whole range, not clustered at the ceiling
    assert result["min"] < 1000 and result["max"] > 7000 and result["distinct"] > 300


def _claims(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
