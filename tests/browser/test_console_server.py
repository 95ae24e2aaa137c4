"""The console's server side, without a browser: static files with security headers, the dev sign-in route
(refused with 404 outside dev mode) and the console's config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import jwt
from starlette.applications import Starlette

from caseapi.web_console import console_routes
from server import WEB_DIR

MY_CASE = "query { myCase { __typename ... on Error { code } } }"


async def test_pages_carry_security_headers(stack: Any) -> None:
    for path in ("/", "/js/main.js", "/css/console.css", "/console.json"):
        resp = await stack.http.get(path)
        assert resp.status_code == 200, path
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["referrer-policy"] == "no-referrer"
    assert (await stack.http.get("/js/main.js")).headers["content-type"].startswith("text/javascript")
    assert (await stack.http.get("/no-such-file.js")).status_code == 404


def test_no_inline_script_or_innerhtml() -> None:
    """CSP forbids inline script; API data reaches the page only as text (no innerHTML/outerHTML/insertAdjacentHTML)."""
    assert "<script>" not in (WEB_DIR / "index.html").read_text()
    for js in WEB_DIR.rglob("*.js"):
        text = js.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{js}: {sink}"
        assert len(text.splitlines()) < 400, js


async def test_dev_session_mints_a_token_in_dev_mode(stack: Any) -> None:
    resp = await stack.http.post("/dev/session", json={"role": "participant", "subject": "web-dev-1"})
    assert resp.status_code == 200
    token = resp.json()["token"]
    mine = await stack.gql("participant", MY_CASE, token=token)
    assert mine["myCase"]["__typename"] == "NoCaseYet"

    staff = (await stack.http.post("/dev/session", json={"role": "staff", "subject": "op", "provinces": ["32"]})).json()
    assert jwt.decode(staff["token"], options={"verify_signature": False})["provinces"] == ["32"]
    assert (await stack.http.post("/dev/session", json={"role": "partner", "subject": "DP"})).status_code == 400
    form = await stack.http.post("/dev/session", data={"role": "participant", "subject": "x"})
    assert form.status_code == 415  # no cross-site form posts


async def test_dev_session_is_404_outside_dev_mode(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>")
    app = Starlette(routes=console_routes(web_dir=tmp_path, dev=False, jwt_secret="s" * 40, jwt_issuer="i"))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http:
        resp = await http.post("/dev/session", json={"role": "supervisor", "subject": "me"})
        assert resp.status_code == 404
        assert "token" not in resp.text
        assert (await http.get("/console.json")).json()["devMode"] is False
        assert (await http.get("/")).status_code == 200
