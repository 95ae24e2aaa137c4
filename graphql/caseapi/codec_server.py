"""The Temporal codec server: staff read encrypted workflow histories in the Temporal Web UI.

``POST /codec/decode`` and ``POST /codec/encode`` speak the codec-server protocol — a JSON body
``{"payloads": [{"metadata": {key: base64}, "data": base64}]}`` answered in the same shape — with the namespace in
``X-Namespace``. Configure the UI with ``--ui-codec-endpoint <this server>/codec`` (it appends ``/decode``).

Only staff and supervisors with a valid staff token may call it; the browser may call it cross-origin only from
the configured Temporal UI origin (with credentials); every decode is written to the audit log *before* the
plaintext is returned, and a decode whose audit entry cannot be written is refused. Payload contents are never
logged.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from google.protobuf import json_format
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.converter import PayloadCodec

from caseapi.shared.auth import AuthError, Principal, authenticate
from caseapi.shared.oidc import Oidc
from domain.errors import StoreUnavailable
from domain.operator.actions import AuditEntry

DECODE_PATH = "/codec/decode"
ENCODE_PATH = "/codec/encode"
DECODE_ACTION = "PAYLOAD_DECODED"
MAX_BODY_BYTES = 8 * 1024 * 1024
"""A history event's payloads; Temporal caps one payload at 2 MB."""
MAX_NAMESPACE = 255
STAFF_COOKIE = "prakerja_staff"
"""DEV_MODE: the console's staff session as an HttpOnly cookie (caseapi/temporal_ui_proxy.py), accepted only from a
same-origin request: the Temporal UI served on the console's origin (docs/temporal-ui.md)."""

logger = logging.getLogger(__name__)

Audit = Callable[[AuditEntry], Awaitable[None]]


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL such as ``TEMPORAL_UI_URL`` (a UI served under a path has the same origin)."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URL: {url!r}")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_origin(request: Request) -> bool:
    """The browser says the request comes from this server's own origin (a page it served)."""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    return request.headers.get("origin", "").lower() == own


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class CodecEndpoints:
    """The decode/encode endpoints and their CORS preflight over one codec."""

    def __init__(
        self,
        codec: PayloadCodec,
        *,
        jwt_secret: str,
        jwt_issuer: str,
        ui_origin: str,
        audit: Audit,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        oidc: Oidc | None = None,
    ) -> None:
        self.oidc = oidc
        self.codec = codec
        self.jwt_secret = jwt_secret
        self.jwt_issuer = jwt_issuer
        self.ui_origin = origin_of(ui_origin)
        self.audit = audit
        self.clock = clock

    def cors_headers(self, request: Request) -> dict[str, str]:
        """CORS headers for the UI origin; none for any other origin (so the browser refuses the response)."""
        if request.headers.get("origin", "").lower() != self.ui_origin:
            return {"Vary": "Origin"}
        return {
            "Access-Control-Allow-Origin": self.ui_origin,
            "Access-Control-Allow-Credentials": "true",
            "Vary": "Origin",
        }

    async def preflight(self, request: Request) -> Response:
        if request.headers.get("origin", "").lower() != self.ui_origin:
            return Response(status_code=403, headers={"Vary": "Origin"})
        headers = {
            **self.cors_headers(request),
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "authorization, content-type, x-namespace",
            "Access-Control-Max-Age": "600",
        }
        return Response(status_code=204, headers=headers)

    async def decode(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return await self.preflight(request)
        return await self._handle(request, decoding=True)

    async def encode(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return await self.preflight(request)
        return await self._handle(request, decoding=False)

    async def _handle(self, request: Request, *, decoding: bool) -> Response:
        cors = self.cors_headers(request)
        try:
            principal = self._staff(request)
            payloads = _parse(await _read_body(request))
            namespace = request.headers.get("x-namespace", "")[:MAX_NAMESPACE]
            out = await self._convert(payloads, decoding=decoding)
            if decoding:
                await self._audit(principal, count=len(payloads.payloads), namespace=namespace)
        except _Refused as refused:
            body = {"code": refused.code, "message": refused.message}
            return JSONResponse(body, status_code=refused.status, headers={**cors, **refused.headers})
        return JSONResponse({"payloads": [_to_json(p) for p in out]}, headers=cors)

    def _staff(self, request: Request) -> Principal:
        header = request.headers.get("authorization")
        cookie = request.cookies.get(STAFF_COOKIE)
        if header is None and cookie and same_origin(request):
            header = f"Bearer {cookie}"
        try:
            principal = authenticate(
                header, endpoint="staff", secret=self.jwt_secret, issuer=self.jwt_issuer, oidc=self.oidc
            )
        except AuthError as exc:
            raise _Refused(401, "UNAUTHENTICATED", str(exc), {"WWW-Authenticate": "Bearer"}) from None
        if principal is None:
            raise _Refused(401, "UNAUTHENTICATED", "A staff bearer token is required.", {"WWW-Authenticate": "Bearer"})
        if not principal.is_staff:
            raise _Refused(403, "FORBIDDEN", "Only staff may use the codec server.")
        return principal

    async def _convert(self, payloads: Payloads, *, decoding: bool) -> list[Payload]:
        try:
            if decoding:
                return await self.codec.decode(payloads.payloads)
            return await self.codec.encode(payloads.payloads)
        except ValueError as exc:
            # The codec's messages name key IDs, never key material or contents.
            raise _Refused(422, "UNDECODABLE_PAYLOAD", str(exc)) from None

    async def _audit(self, principal: Principal, *, count: int, namespace: str) -> None:
        entry = AuditEntry(
            at=self.clock(),
            actor=f"staff:{principal.subject}",
            action=DECODE_ACTION,
            case_id=None,
            reason_code="CODEC_SERVER",
            reason="Workflow payloads decoded for the Temporal Web UI",
            detail={"count": str(count), "namespace": namespace, "role": principal.role.value},
        )
        try:
            await self.audit(entry)
        except StoreUnavailable:
            logger.warning("codec decode refused: the audit entry could not be written (actor=%s)", entry.actor)
            raise _Refused(
                503, "AUDIT_UNAVAILABLE", "The decode could not be audit-logged; retry.", {"Retry-After": "1"}
            ) from None


async def _read_body(request: Request) -> bytes:
    too_large = _Refused(413, "PAYLOAD_TOO_LARGE", f"The body must not exceed {MAX_BODY_BYTES} bytes.")
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                raise too_large
    except ClientDisconnect:
        raise _Refused(400, "INVALID_REQUEST", "The body was not received.") from None
    return bytes(body)


def _parse(raw: bytes) -> Payloads:
    payloads = Payloads()
    try:
        json_format.Parse(raw, payloads)
    except (json_format.ParseError, UnicodeDecodeError, RecursionError):
        raise _Refused(400, "INVALID_REQUEST", 'The body must be {"payloads": [{"metadata": …, "data": …}]}.') from None
    return payloads


def _to_json(payload: Payload) -> dict[str, object]:
    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return {"metadata": {k: b64(v) for k, v in payload.metadata.items()}, "data": b64(payload.data)}


def codec_routes(
    codec: PayloadCodec,
    *,
    jwt_secret: str,
    jwt_issuer: str,
    ui_origin: str,
    audit: Audit,
    oidc: Oidc | None = None,
) -> list[BaseRoute]:
    """The codec server's routes; ``ui_origin`` may be the UI's URL (only its origin is used)."""
    endpoints = CodecEndpoints(
        codec, jwt_secret=jwt_secret, jwt_issuer=jwt_issuer, ui_origin=ui_origin, audit=audit, oidc=oidc
    )
    return [
        Route(DECODE_PATH, endpoints.decode, methods=["POST", "OPTIONS"]),
        Route(ENCODE_PATH, endpoints.encode, methods=["POST", "OPTIONS"]),
    ]
