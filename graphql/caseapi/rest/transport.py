"""The signed transport every partner REST endpoint shares: body, headers, signature, rate limit, replay, envelope.

Checks, in order: body size (413), signature headers, client (of the endpoint's partner type), timestamp, signature
(401), the partner's rate limit (429, :mod:`caseapi.rest.rate_limit`), replay (409), body shape (400); then the
endpoint's handler. Every refusal is a catalogue entry (:mod:`caseapi.rest.catalogue`). Never logged: sign keys,
bodies, signatures, tokens.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from caseapi.rest import catalogue as c
from caseapi.rest.rate_limit import RateLimit, RateLimiter, retry_after
from caseapi.rest.signature import is_fresh, normalize_signature, parse_timestamp, verify
from domain.errors import StoreUnavailable
from domain.training.trainings import PartnerType

MAX_BODY_BYTES = 4 * 1024
MAX_CLIENT_CODE = 64

logger = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Refused(Exception):
    """A request refused with a catalogue entry."""

    def __init__(
        self, entry: c.CatalogueEntry, message: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(entry.code)
        self.entry = entry
        self.message = message or entry.message
        self.headers = headers if headers is not None else ({"Retry-After": "1"} if entry.http == 503 else None)

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"success": False, "code": self.entry.code, "message": self.message},
            status_code=self.entry.http,
            headers=self.headers,
        )


def ok(data: dict[str, Any] | None, message: str = "OK") -> JSONResponse:
    """The success envelope; ``data=None`` leaves the key out (void)."""
    body: dict[str, Any] = {"success": True, "message": message}
    if data is not None:
        body["data"] = data
    return JSONResponse(body)


def z_time(at: dt.datetime | None) -> str | None:
    """``2023-10-24T10:54:45Z``: UTC, whole seconds, as the contract writes date-times."""
    return None if at is None else at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError("duplicate key")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_object(raw: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(raw, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise Refused(c.INVALID_BODY, "The body must be a JSON object.") from None
    if not isinstance(obj, dict):
        raise Refused(c.INVALID_BODY, "The body must be a JSON object.")
    return obj


def text(body: dict[str, Any], name: str, *, max_len: int = 128, required: bool = True, number_ok: bool = False) -> str:
    """A string field, stripped; ``number_ok`` also takes a JSON integer (returned as its decimal string)."""
    value = body.get(name)
    if number_ok and type(value) is int:
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused(c.REQUIRED_EMPTY, f"{name} is required.")
        return ""
    if not isinstance(value, str) or len(value) > max_len:
        raise Refused(c.INVALID_BODY, f"{name} must be a string of at most {max_len} characters.")
    if "\x00" in value:  # PostgreSQL text cannot hold NUL (found by tests/rest/test_rest_fuzz.py)
        raise Refused(c.INVALID_BODY, f"{name} must not contain NUL characters.")
    return value.strip()


def integer(body: dict[str, Any], name: str, *, default: int | None = None) -> int:
    """An integer field (JSON ``true`` and ``1.0`` are not integers)."""
    value = body.get(name)
    if value is None:
        if default is None:
            raise Refused(c.REQUIRED_EMPTY, f"{name} is required.")
        return default
    if type(value) is not int:
        raise Refused(c.INVALID_BODY, f"{name} must be an integer.")
    return value


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    too_large = Refused(c.TOO_LARGE, f"The body must not exceed {limit} bytes.")
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise too_large
    except ClientDisconnect:
        raise Refused(c.INVALID_BODY, "The body was not received.") from None
    return bytes(body)


class SigningKeys(Protocol):
    async def sign_key(self, client_code: str, kind: PartnerType) -> str | None:
        """The partner's signing key; ``None`` unless ``client_code`` is an active partner of ``kind``."""
        ...

    async def first_use(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        """Record the (client, signature) nonce atomically; ``False`` if it was seen before (a replay)."""
        ...


@dataclass(frozen=True, slots=True)
class Call:
    """A verified, first-seen request."""

    client_code: str
    body: dict[str, Any]
    request: Request
    now: dt.datetime


Handler = Callable[[Call], Awaitable[JSONResponse]]


class SignedApi:
    """Routes whose requests are signed by a partner of one type."""

    def __init__(
        self, keys: SigningKeys, clock: Callable[[], dt.datetime] = utc_now, limiter: RateLimit | None = None
    ) -> None:
        self.keys = keys
        self.clock = clock
        self.limiter: RateLimit = limiter if limiter is not None else RateLimiter()

    def route(self, path: str, kind: PartnerType, handler: Handler, *, name: str, auth_slot: bool = False) -> Route:
        async def endpoint(request: Request) -> JSONResponse:
            return await self.serve(request, kind, handler, name, auth_slot)

        return Route(path, endpoint, methods=["POST"], name=name)

    async def serve(self, request: Request, kind: PartnerType, handler: Handler, name: str, auth_slot: bool) -> Any:
        client_code = request.headers.get("client_code", "")[:MAX_CLIENT_CODE]  # as claimed, for the log only
        try:
            raw = await read_body(request)
            client_code, now = await self._authenticate(request, raw, kind, auth_slot)
            response = await handler(Call(client_code, parse_object(raw), request, now))
        except Refused as refused:
            logger.info("%s refused: client=%r code=%s", name, client_code, refused.entry.code)
            return refused.response()
        except StoreUnavailable:
            logger.warning("%s: store unavailable (client=%r)", name, client_code)
            return Refused(c.UNAVAILABLE).response()
        logger.info("%s ok: client=%r", name, client_code)
        return response

    async def _authenticate(
        self, request: Request, raw: bytes, kind: PartnerType, auth_slot: bool
    ) -> tuple[str, dt.datetime]:
        headers = request.headers  # case-insensitive
        client_code = headers.get("client_code", "").strip()
        timestamp = headers.get("timestamp", "").strip()
        signature = headers.get("signature", "").strip()
        if not (client_code and timestamp and signature):
            raise Refused(c.MISSING_HEADERS)
        key = await self.keys.sign_key(client_code, kind) if len(client_code) <= MAX_CLIENT_CODE else None
        if key is None:
            raise Refused(c.UNKNOWN_CLIENT)
        now = self.clock()
        seconds = parse_timestamp(timestamp)
        if seconds is None or not is_fresh(seconds, now):
            raise Refused(c.STALE_TIMESTAMP)
        nonce = normalize_signature(signature)
        slot = headers.get("authorization", "").strip() if auth_slot else None
        path = request.url.path
        if nonce is None or not verify(
            key, client_code, timestamp, request.method, path, raw, nonce, authorization=slot
        ):
            raise Refused(c.INVALID_SIGNATURE)
        # After the signature (a forged client_code cannot drain a partner's bucket) and before the nonce is used
        # (the same signed request may be sent again after Retry-After).
        wait = await self.limiter.take(client_code)
        if wait > 0:
            after = retry_after(wait)
            raise Refused(c.RATE_LIMITED, f"Too many requests; retry after {after} s.", {"Retry-After": after})
        # Only a verified signature may use up a nonce, else anyone could block a partner's next request.
        if not await self.keys.first_use(client_code, nonce, now):
            raise Refused(c.REPLAYED)
        return client_code, now
