"""DEV_MODE only: the dev server's Temporal Web UI on the console's origin, for signed-in staff, so that its calls to
the codec server carry the staff member's session and show decoded payloads (docs/temporal-ui.md).

- ``POST /codec/session`` takes the console's staff bearer token and sets it as an HttpOnly, ``SameSite=Strict``
  cookie for as long as the token lives; ``DELETE /codec/session`` (sign-out) removes it.
- ``/temporal/…`` forwards to the dev server's UI (started with ``--ui-public-path /temporal --ui-codec-endpoint
  /codec``) when the cookie holds a valid staff token; the UI's relative codec endpoint is then this origin's
  ``/codec``, which accepts the cookie from same-origin requests only (caseapi/codec_server.py) and audits each
  decode under the staff member's subject.

Production runs the UI behind the identity provider and passes its access token to the codec instead; these
routes do not exist without DEV_MODE.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import urllib.error
import urllib.request
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from caseapi.codec_server import STAFF_COOKIE, same_origin
from caseapi.shared.auth import AuthError, Principal, authenticate

UI_PATH = "/temporal"
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
_DROP_UPSTREAM = {"host", "cookie", "authorization", "accept-encoding", *_HOP_BY_HOP}
_TIMEOUT = 30.0


def _staff_from(token: str | None, *, secret: str, issuer: str) -> Principal | None:
    if not token:
        return None
    try:
        principal = authenticate(f"Bearer {token}", endpoint="staff", secret=secret, issuer=issuer)
    except AuthError:
        return None
    return principal if principal is not None and principal.is_staff else None


def _expiry(token: str) -> int:
    """Seconds the (already verified) token still lives."""
    exp = jwt.decode(token, options={"verify_signature": False}).get("exp", 0)
    return max(0, int(exp - dt.datetime.now(dt.UTC).timestamp()))


def session_routes(*, secret: str, issuer: str) -> list[BaseRoute]:
    async def session(request: Request) -> Response:
        if request.method == "DELETE":
            resp = Response(status_code=204)
            resp.delete_cookie(STAFF_COOKIE, path="/", httponly=True, samesite="strict")
            return resp
        if not same_origin(request):
            return JSONResponse({"error": "same-origin requests only"}, status_code=403)
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if _staff_from(token, secret=secret, issuer=issuer) is None:
            return JSONResponse({"error": "a valid staff bearer token is required"}, status_code=401)
        resp = Response(status_code=204)
        resp.set_cookie(
            STAFF_COOKIE, token, max_age=_expiry(token), path="/", httponly=True, samesite="strict",
            secure=request.url.scheme == "https",
        )  # fmt: skip
        return resp

    return [Route("/codec/session", session, methods=["POST", "DELETE"])]


class TemporalUiProxy:
    """Forwards ``/temporal/…`` to the dev server's UI for a request carrying a valid staff session cookie."""

    def __init__(self, upstream: str, *, secret: str, issuer: str) -> None:
        if not upstream.startswith(("http://", "https://")):
            raise ValueError(f"TEMPORAL_UI_UPSTREAM must be an http(s) URL, not {upstream!r}")
        self.upstream = upstream.rstrip("/")
        self.secret, self.issuer = secret, issuer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if _staff_from(request.cookies.get(STAFF_COOKIE), secret=self.secret, issuer=self.issuer) is None:
            body = "Sign in to the console as staff first (http://<this host>/#/signin); the session opens the UI."
            await Response(body, status_code=401, media_type="text/plain")(scope, receive, send)
            return
        path = scope["path"] if scope["path"].startswith(UI_PATH) else UI_PATH + scope["path"]
        url = self.upstream + path + (f"?{scope['query_string'].decode()}" if scope.get("query_string") else "")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROP_UPSTREAM}
        body = await request.body()
        status, out_headers, content = await asyncio.to_thread(_forward, request.method, url, headers, body)
        response = Response(content, status_code=status)
        for key, value in out_headers:
            if key.lower() not in _HOP_BY_HOP:
                response.headers.append(key, value)
        await response(scope, receive, send)


def _forward(method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, list[Any], bytes]:
    req = urllib.request.Request(url, data=body or None, headers=headers, method=method)  # noqa: S310 (http(s) only)
    try:
        with urllib.request.urlopen(req, timeout=_TIMEOUT) as resp:  # noqa: S310 (a configured dev-only upstream)
            return resp.status, list(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, list(err.headers.items()), err.read()
    except (urllib.error.URLError, TimeoutError) as err:
        return 502, [("content-type", "text/plain")], f"Temporal UI unreachable: {err}".encode()


def temporal_ui_routes(*, upstream: str, secret: str, issuer: str) -> list[BaseRoute]:
    """The cookie session and, when ``upstream`` is set, the UI under ``/temporal``. DEV_MODE only."""
    routes = session_routes(secret=secret, issuer=issuer)
    if upstream:
        routes.append(Mount(UI_PATH, app=TemporalUiProxy(upstream, secret=secret, issuer=issuer)))
    return routes
