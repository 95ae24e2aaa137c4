"""The web console: static ES modules from the repository's ``web/`` folder at ``/``, with security headers.

Everything the console shows comes from the three GraphQL endpoints with the caller's bearer token. Two small
JSON routes sit beside the files: ``/console.json`` (whether dev sign-in exists, and the province names for the
forms) and, in ``DEV_MODE`` only, ``POST /dev/session``, which mints a development token (there is no identity
provider in this repository; outside dev mode the console takes a token pasted from the real one).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, request_response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caseapi.shared.auth import Role, mint_token
from domain.regions import all_province_codes, province_name

_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:]{1,255}$")
_SUBJECT = re.compile(r"^[A-Za-z0-9._:@\-]{1,64}$")


def _csp(host: str) -> str:
    # No inline script or style anywhere; the WebSocket of the subscriptions is the page's own origin.
    sockets = f" ws://{host} wss://{host}" if _HOST.match(host) else ""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'{sockets}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    """Adds CSP, nosniff, referrer and framing headers to every HTTP response of the wrapped app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", _csp(host).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-cache"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def _dev_session(*, dev: bool, jwt_secret: str, jwt_issuer: str) -> Any:
    async def session(request: Request) -> Response:
        if not dev:
            return JSONResponse({"error": "not found"}, status_code=404)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return JSONResponse({"error": "send JSON"}, status_code=415)  # no cross-site form posts
        body = await request.json()
        try:
            role = Role(str(body.get("role", "")))
        except ValueError:
            return JSONResponse({"error": "role must be participant, staff or supervisor"}, status_code=400)
        subject = str(body.get("subject") or "")
        if role not in (Role.PARTICIPANT, Role.STAFF, Role.SUPERVISOR) or not _SUBJECT.match(subject):
            return JSONResponse({"error": "a participant, staff or supervisor with a simple subject"}, status_code=400)
        extra: dict[str, object] = {}
        endpoint = "participant"
        if role in (Role.STAFF, Role.SUPERVISOR):
            endpoint = "staff"
            provinces = [str(p) for p in body.get("provinces") or [] if province_name(str(p))]
            extra["provinces"] = provinces or ["*"]
        token = mint_token(secret=jwt_secret, issuer=jwt_issuer, endpoint=endpoint, subject=subject, role=role, **extra)
        return JSONResponse({"token": token, "endpoint": endpoint, "role": role.value, "subject": subject})

    return session


def _console_config(*, dev: bool) -> Any:
    provinces = [{"code": c, "name": province_name(c)} for c in all_province_codes()]

    async def config(_: Request) -> Response:
        return JSONResponse({"devMode": dev, "provinces": provinces})

    return config


def console_routes(*, web_dir: Path, dev: bool, jwt_secret: str, jwt_issuer: str) -> list[BaseRoute]:
    """Mount these last: ``/`` catches every path the API routes did not."""
    return [
        Route(
            "/dev/session",
            SecurityHeaders(request_response(_dev_session(dev=dev, jwt_secret=jwt_secret, jwt_issuer=jwt_issuer))),
            methods=["POST"],
        ),
        Route("/console.json", SecurityHeaders(request_response(_console_config(dev=dev))), methods=["GET"]),
        Mount("/", app=SecurityHeaders(StaticFiles(directory=web_dir, html=True)), name="console"),
    ]
