"""Prakerja's LP endpoints: redeem-code status / commit / reset and the attendance-verification URL.

``POST /api/v1/integration/payment/redeem-code/status`` checks a code for one sequence, ``.../commit`` uses it
(the older flow), ``.../reset`` puts a sandbox ``PRAT-`` code back to the start, and
``/api/v1/integration/oauth/url-generate`` gives the participant a signed, expiring link to confirm attendance.
Requests are signed (:mod:`caseapi.rest.transport`); answers follow partner-api.md §5 with its JSON types:

- ``status``: 0 = not yet redeemed for this sequence, 1 = redeemed, 2 = cancelled (voucher or transaction);
- ``attendance_status``: 0 = not verified, 1 = verified (the session was redeemed: committed by the provider or
  confirmed by the participant on the verification page);
- ``course_type``: 1 = self-paced, 2 = webinar, 3 = offline; ``course_learning_method`` ``online`` | ``offline``;
- ``redeem_at`` ``YYYY-MM-DDTHH:MM:SSZ`` or ``null`` before redemption; ``schedule_start_end`` is
  ``"<start Z> - <end Z>"`` (empty for self-paced trainings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse
from starlette.routing import Route

from caseapi.rest import catalogue as c
from caseapi.rest.ports import AttendanceLink, RedeemDetail, RedeemError, RedeemGateway
from caseapi.rest.rate_limit import RateLimit
from caseapi.rest.transport import Call, Refused, SignedApi, integer, ok, text, utc_now, z_time
from domain.errors import DomainError
from domain.training.trainings import MAX_SESSIONS, POST_TEST, PartnerType, TrainingMode

STATUS_PATH = "/api/v1/integration/payment/redeem-code/status"
COMMIT_PATH = "/api/v1/integration/payment/redeem-code/commit"
RESET_PATH = "/api/v1/integration/payment/redeem-code/reset"
URL_GENERATE_PATH = "/api/v1/integration/oauth/url-generate"
MAX_REDEEM_CODE = 64
DEFAULT_SEQUENCE = 1
SANDBOX_PREFIX = "PRAT-"

STATUS_VALUES = {"UNUSED": 0, "REDEEMED": 1, "CANCELLED": 2}
COURSE_TYPES = {TrainingMode.SELF_PACED: 1, TrainingMode.WEBINAR: 2, TrainingMode.OFFLINE: 3}
COURSE_TYPE_LABELS = {
    TrainingMode.SELF_PACED: "Mandiri",
    TrainingMode.WEBINAR: "Webinar",
    TrainingMode.OFFLINE: "Luring",
}
_TRAINING_TYPES = frozenset(mode.value for mode in TrainingMode)


def learning_method(mode: TrainingMode) -> str:
    return "offline" if mode is TrainingMode.OFFLINE else "online"


def sequence_of(body: dict[str, Any]) -> int:
    sequence = integer(body, "sequence", default=DEFAULT_SEQUENCE)
    if not (1 <= sequence <= MAX_SESSIONS or sequence == POST_TEST):
        raise Refused(c.INVALID_SEQUENCE, f"sequence must be 1 to {MAX_SESSIONS} or {POST_TEST} (post-test).")
    return sequence


def training_type_of(body: dict[str, Any]) -> str | None:
    """Our optional extension: a provider may declare the training type it expects."""
    value = body.get("training_type")
    if value is None:
        return None
    if not isinstance(value, str) or (value.strip() and value.strip().upper() not in _TRAINING_TYPES):
        raise Refused(c.INVALID_BODY, "training_type must be WEBINAR, SELF_PACED or OFFLINE.")
    return value.strip().upper() or None


def redeem_data(detail: RedeemDetail) -> dict[str, Any]:
    r = detail.result
    period = "" if detail.period is None else f"{z_time(detail.period[0])} - {z_time(detail.period[1])}"
    return {
        "redeem_code": r.redeem_code,
        "course_code": r.course_code,
        "invoice_code": r.invoice_code,
        "schedule_code": detail.schedule_code,
        "status": STATUS_VALUES.get(r.status, 0),
        "attendance_status": 1 if r.attendance_status == "ATTENDED" else 0,
        "redeem_at": z_time(r.redeem_at),
        "dp_platform": r.dp_platform,
        "schedule_start_end": period,
        "course_type": COURSE_TYPES[detail.mode],
        "course_type_label": COURSE_TYPE_LABELS[detail.mode],
        "course_learning_method": learning_method(detail.mode),
        "is_online_attendance": detail.mode is not TrainingMode.OFFLINE,
        "sequence": r.sequence,
    }


def answer(result: RedeemDetail | RedeemError) -> JSONResponse:
    if isinstance(result, RedeemError):
        raise Refused(c.for_domain_code(result.code), result.message)
    return ok(redeem_data(result))


class RedeemEndpoints:
    def __init__(self, gateway: RedeemGateway) -> None:
        self.gateway = gateway

    async def status(self, call: Call) -> JSONResponse:
        return await self._redeem(call, self.gateway.status)

    async def commit(self, call: Call) -> JSONResponse:
        return await self._redeem(call, self.gateway.commit)

    async def _redeem(self, call: Call, ask: Any) -> JSONResponse:
        code = text(call.body, "redeem_code", max_len=MAX_REDEEM_CODE)
        sequence, training_type = sequence_of(call.body), training_type_of(call.body)
        try:
            return answer(await ask(call.client_code, code, sequence, training_type))
        except DomainError as exc:
            return answer(RedeemError(exc.code.value, exc.message))

    async def reset(self, call: Call) -> JSONResponse:
        code = text(call.body, "redeem_code", max_len=MAX_REDEEM_CODE)
        if not code.upper().startswith(SANDBOX_PREFIX):
            raise Refused(c.NOT_SANDBOX_CODE)
        return answer(await self.gateway.reset(call.client_code, code))

    async def url_generate(self, call: Call) -> JSONResponse:
        code = text(call.body, "redeem_code", max_len=MAX_REDEEM_CODE)
        redirect_uri = text(call.body, "redirect_uri", max_len=1024)
        email = text(call.body, "email", max_len=254)
        sequence = sequence_of(call.body)
        if not redirect_uri.startswith(("https://", "http://localhost", "http://127.0.0.1")):
            raise Refused(c.INVALID_REDIRECT)
        base = str(call.request.base_url)
        link = await self.gateway.attendance_link(call.client_code, code, sequence, redirect_uri, email, base)
        if isinstance(link, RedeemError):
            raise Refused(c.for_domain_code(link.code), link.message)
        assert isinstance(link, AttendanceLink)
        course = {"type": COURSE_TYPES[link.mode], "learning_method": learning_method(link.mode)}
        return ok({"url": link.url, "state": link.state, "course": course})


def redeem_routes(
    gateway: RedeemGateway,
    *,
    clock: Callable[[], dt.datetime] = utc_now,
    limiter: RateLimit | None = None,
) -> list[Route]:
    """``POST`` routes of the LP endpoints (mount at the application root).

    ``limiter`` defaults to a :class:`RateLimiter` of 50 requests/s with bursts of 100 per partner.
    """
    api = SignedApi(gateway, clock, limiter)
    lp = RedeemEndpoints(gateway)
    kind = PartnerType.TRAINING_PROVIDER
    return [
        api.route(STATUS_PATH, kind, lp.status, name="redeem_code_status"),
        api.route(COMMIT_PATH, kind, lp.commit, name="redeem_code_commit"),
        api.route(RESET_PATH, kind, lp.reset, name="redeem_code_reset"),
        api.route(URL_GENERATE_PATH, kind, lp.url_generate, name="attendance_url_generate"),
    ]
