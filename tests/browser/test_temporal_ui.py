"""The dev stack's Temporal Web UI in Chromium: served on the console's origin to signed-in staff only, it decodes
encrypted payloads through the codec server with the staff member's session cookie, and every decode is audited
under that staff member (docs/temporal-ui.md). A screenshot of the decoded history goes to test-artifacts/."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
import uvicorn
from playwright.async_api import expect
from starlette.applications import Starlette

from adapters.temporal import connect, payload_codec
from caseapi.codec_server import codec_routes
from caseapi.shared.auth import Role
from caseapi.temporal_ui_proxy import temporal_ui_routes
from devstack.embedded import start_temporal
from domain.operator.actions import AuditEntry
from tests.browser.conftest import DESKTOP, screenshot
from tests.conftest import free_port

MARKER = "ui-probe-7f3a: decoded for staff"


@pytest_asyncio.fixture
async def ui_stack(stack: Any, data_dir: Path) -> AsyncIterator[dict[str, Any]]:
    """A Temporal dev server with its UI under /temporal, one workflow with an encrypted input, and the API's
    codec and UI routes on a real HTTP server."""
    ui_port = free_port()
    temporal = start_temporal(
        data_dir / f"temporal-ui-{uuid.uuid4().hex[:6]}",
        port=free_port(),
        ui_port=ui_port,
        extra_args=("--ui-public-path", "/temporal", "--ui-codec-endpoint", "/codec"),
    )
    client = await connect(temporal.address, codec=payload_codec(stack.settings))
    workflow_id = f"ui-probe-{uuid.uuid4().hex[:8]}"
    await client.start_workflow("UiProbeWorkflow", MARKER, id=workflow_id, task_queue="nobody-polls-this")
    audits: list[AuditEntry] = []

    async def audit(entry: AuditEntry) -> None:
        audits.append(entry)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secret, issuer = stack.settings.jwt_secret.reveal(), stack.settings.jwt_issuer
    app = Starlette(
        routes=[
            *codec_routes(client.data_converter.payload_codec, jwt_secret=secret, jwt_issuer=issuer,
                          ui_origin=base, audit=audit),
            *temporal_ui_routes(upstream=f"http://127.0.0.1:{ui_port}", secret=secret, issuer=issuer),
        ]
    )  # fmt: skip
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done()
        await asyncio.sleep(0.05)
    try:
        yield {"base": base, "workflow_id": workflow_id, "audits": audits}
    finally:
        server.should_exit = True
        await task
        temporal.stop()


async def test_staff_see_decoded_payloads_in_the_temporal_ui(stack: Any, browser: Any, ui_stack: dict) -> None:
    base, workflow_id = ui_stack["base"], ui_stack["workflow_id"]
    ctx = await browser.new_context(base_url=base, **DESKTOP)
    page = await ctx.new_page()
    page.set_default_timeout(60_000)
    history = f"/temporal/namespaces/default/workflows/{workflow_id}"

    # Without a staff session the UI is not served at all.
    resp = await page.goto(history)
    assert resp is not None and resp.status == 401

    # A participant's token opens no session; a staff member's does (what the console does on sign-in).
    async def open_session(token: str) -> int:
        return await page.evaluate(
            "async (t) => (await fetch('/codec/session', {method: 'POST', headers: {authorization: 'Bearer ' + t}}))"
            ".status",
            token,
        )

    assert await open_session(stack.token(Role.PARTICIPANT)) == 401
    assert await open_session(stack.token(Role.STAFF, "ui-staff-1")) == 204
    cookies = {c["name"]: c for c in await ctx.cookies()}
    assert cookies["prakerja_staff"]["httpOnly"] and cookies["prakerja_staff"]["sameSite"] == "Strict"

    await page.goto(history)
    await expect(page.get_by_text(MARKER).first).to_be_visible()
    await screenshot(page, "temporal-ui-decoded")
    assert any(a.actor == "staff:ui-staff-1" and a.action == "PAYLOAD_DECODED" for a in ui_stack["audits"])

    # Signing out of the console removes the cookie: the UI and the codec refuse again.
    await page.evaluate("async () => { await fetch('/codec/session', {method: 'DELETE'}); }")
    assert (await page.goto(history)).status == 401
    refused = await page.evaluate(
        "async () => (await fetch('/codec/decode', {method: 'POST', headers: {'content-type': 'application/json'},"
        " body: JSON.stringify({payloads: []})})).status"
    )
    assert refused == 401
    await ctx.close()
