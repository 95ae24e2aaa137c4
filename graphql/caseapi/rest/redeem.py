"""Prakerja's official redeem-code API, so training providers' (LPK) existing integrations work unchanged.

``POST /api/v1/integration/payment/redeem-code/status`` checks a code, ``.../commit`` uses it. Every request is
signed (see :mod:`caseapi.rest.signature`) and each signature is accepted once. Checks, in order: body size (413),
signature headers, client, timestamp, signature (401), the partner's rate limit (429, see
:mod:`caseapi.rest.rate_limit`), replay (409), body (400); then the gateway's answer.
Never logged: sign keys, bodies, signatures.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from caseapi.rest.ports import RedeemError, RedeemGateway
from caseapi.rest.rate_limit import RateLimiter, retry_after
from caseapi.rest.signature import is_fresh, normalize_signature, parse_timestamp, verify
from domain.errors import DomainError, ErrorCode, StoreUnavailable
from domain.training.messages import RedeemResult
from domain.training.trainings import MAX_SESSIONS, POST_TEST, TrainingMode

STATUS_PATH = "/api/v1/integration/payment/redeem-code/status"
COMMIT_PATH = "/api/v1/integration/payment/redeem-code/commit"
MAX_BODY_BYTES = 4 * 1024
MAX_CLIENT_CODE = 64
MAX_REDEEM_CODE = 64
DEFAULT_SEQUENCE = 1

logger = logging.getLogger(__name__)

Action = Literal["status", "commit"]

# Business refusals that are not 422 Unprocessable Content.
_HTTP_STATUS = {
    ErrorCode.REDEEM_CODE_NOT_FOUND.value: 404,
    ErrorCode.CODE_OF_OTHER_PROVIDER.value: 403,
    ErrorCode.TEMPORARILY_UNAVAILABLE.value: 503,
}
_TRAINING_TYPES = frozenset(mode.value for mode in TrainingMode)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class RedeemBody:
    """A validated request body."""

    redeem_code: str
    sequence: int
    training_type: str | None


class Refused(Exception):
    """A request refused before (or instead of) the gateway's answer."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers

    def response(self) -> JSONResponse:
        return _failure(self.status, self.code, self.message, self.headers)


def _failure(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"success": False, "code": code, "message": message}, status_code=status, headers=headers)


def _unavailable(message: str = "The service is temporarily unavailable; retry.") -> Refused:
    return Refused(503, ErrorCode.TEMPORARILY_UNAVAILABLE.value, message, {"Retry-After": "1"})


def _invalid(message: str) -> Refused:
    return Refused(400, "INVALID_REQUEST", message)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError("duplicate key")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(raw: bytes) -> RedeemBody:
    """The redeem request in ``raw``; raises :class:`Refused` (400 ``INVALID_REQUEST``) if it is not one."""
    try:
        obj = json.loads(raw, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise _invalid("The body must be a JSON object.") from None
    if not isinstance(obj, dict):
        raise _invalid("The body must be a JSON object.")
    redeem_code = obj.get("redeem_code")
    if not isinstance(redeem_code, str) or not redeem_code.strip() or len(redeem_code) > MAX_REDEEM_CODE:
        raise _invalid("redeem_code is required.")
    sequence = obj.get("sequence")
    if sequence is None:
        sequence = DEFAULT_SEQUENCE
    # bool is an int in Python; JSON true is not a sequence.
    if type(sequence) is not int or not (1 <= sequence <= MAX_SESSIONS or sequence == POST_TEST):
        raise _invalid(f"sequence must be 1 to {MAX_SESSIONS} (attendance) or {POST_TEST} (post-test).")
    training_type = obj.get("training_type")
    if training_type is not None:
        if not isinstance(training_type, str):
            raise _invalid("training_type must be WEBINAR, SELF_PACED or OFFLINE.")
        training_type = training_type.strip().upper() or None
        if training_type is not None and training_type not in _TRAINING_TYPES:
            raise _invalid("training_type must be WEBINAR, SELF_PACED or OFFLINE.")
    return RedeemBody(redeem_code=redeem_code.strip(), sequence=sequence, training_type=training_type)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body; raises :class:`Refused` (413) as soon as it is known to exceed ``limit`` bytes."""
    too_large = Refused(413, "PAYLOAD_TOO_LARGE", f"The body must not exceed {limit} bytes.")
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
        raise _invalid("The body was not received.") from None
    return bytes(body)


def success(result: RedeemResult) -> JSONResponse:
    data = {
        "redeem_code": result.redeem_code,
        "course_code": result.course_code,
        "invoice_code": result.invoice_code,
        "schedule_code": result.schedule_code,
        "status": result.status,
        "attendance_status": result.attendance_status,
        "redeem_at": result.redeem_at.isoformat() if result.redeem_at is not None else None,
        "dp_platform": result.dp_platform,
        "sequence": result.sequence,
        "voucher_code": result.voucher_code,
    }
    return JSONResponse({"success": True, "message": "OK", "data": data})


def business_failure(error: RedeemError) -> JSONResponse:
    status = _HTTP_STATUS.get(error.code, 422)
    headers = {"Retry-After": "1"} if status == 503 else None
    return _failure(status, error.code, error.message, headers)


class RedeemEndpoints:
    """The two endpoints over one gateway and clock."""

    def __init__(
        self,
        gateway: RedeemGateway,
        clock: Callable[[], dt.datetime] = utc_now,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.gateway = gateway
        self.clock = clock
        self.limiter = limiter if limiter is not None else RateLimiter()

    async def status(self, request: Request) -> JSONResponse:
        return await self._handle(request, "status")

    async def commit(self, request: Request) -> JSONResponse:
        return await self._handle(request, "commit")

    async def _handle(self, request: Request, action: Action) -> JSONResponse:
        # For the log only: as claimed by the caller until verified (logged with repr, never the signature).
        client_code = request.headers.get("client_code", "")[:MAX_CLIENT_CODE]
        try:
            raw = await read_body(request)
            client_code = await self._authenticate(request, raw)
            answer = await self._ask(action, client_code, parse_body(raw))
        except Refused as refused:
            logger.info("redeem %s refused: client=%r code=%s", action, client_code, refused.code)
            return refused.response()
        except StoreUnavailable:
            logger.warning("redeem %s: store unavailable (client=%r)", action, client_code)
            return _unavailable().response()
        if isinstance(answer, RedeemError):
            logger.info("redeem %s refused: client=%r code=%s", action, client_code, answer.code)
            return business_failure(answer)
        logger.info("redeem %s ok: client=%r sequence=%d", action, client_code, answer.sequence)
        return success(answer)

    async def _authenticate(self, request: Request, raw: bytes) -> str:
        """The verified, first-seen client code; raises :class:`Refused` otherwise."""
        headers = request.headers  # case-insensitive
        client_code = headers.get("client_code", "").strip()
        timestamp = headers.get("timestamp", "").strip()
        signature = headers.get("signature", "").strip()
        if not (client_code and timestamp and signature):
            raise Refused(
                401, "MISSING_SIGNATURE_HEADERS", "The client_code, timestamp and signature headers are required."
            )
        key = await self.gateway.sign_key(client_code) if len(client_code) <= MAX_CLIENT_CODE else None
        if key is None:
            raise Refused(401, "UNKNOWN_CLIENT", "Unknown client_code.")
        now = self.clock()
        seconds = parse_timestamp(timestamp)
        if seconds is None or not is_fresh(seconds, now):
            raise Refused(401, "STALE_TIMESTAMP", "timestamp must be the current Unix time in seconds.")
        nonce = normalize_signature(signature)
        if nonce is None or not verify(key, client_code, timestamp, request.method, request.url.path, raw, nonce):
            raise Refused(401, "INVALID_SIGNATURE", "The signature does not match the request.")
        # After the signature (a forged client_code cannot drain a partner's bucket) and before the nonce is used
        # (the same signed request may be sent again after Retry-After).
        wait = self.limiter.acquire(client_code)
        if wait > 0:
            after = retry_after(wait)
            raise Refused(
                429,
                "RATE_LIMITED",
                f"Too many requests from this client; retry after {after} s.",
                {"Retry-After": after},
            )
        # Only a verified signature may use up a nonce, else anyone could block a provider's next request.
        if not await self.gateway.first_use(client_code, nonce, now):
            raise Refused(409, "REPLAYED_REQUEST", "This request was already received; sign each request anew.")
        return client_code

    async def _ask(self, action: Action, client_code: str, body: RedeemBody) -> RedeemResult | RedeemError:
        call = self.gateway.status if action == "status" else self.gateway.commit
        try:
            return await call(client_code, body.redeem_code, body.sequence, body.training_type)
        except DomainError as exc:
            return RedeemError(code=exc.code.value, message=exc.message)


def redeem_routes(
    gateway: RedeemGateway,
    *,
    clock: Callable[[], dt.datetime] = utc_now,
    limiter: RateLimiter | None = None,
) -> list[Route]:
    """``POST`` routes for the status and commit endpoints (mount at the application root).

    ``limiter`` defaults to a :class:`RateLimiter` of 50 requests/s with bursts of 100 per partner.
    """
    endpoints = RedeemEndpoints(gateway, clock, limiter)
    return [
        Route(STATUS_PATH, endpoints.status, methods=["POST"], name="redeem_code_status"),
        Route(COMMIT_PATH, endpoints.commit, methods=["POST"], name="redeem_code_commit"),
    ]
