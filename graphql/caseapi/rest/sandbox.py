"""The sandbox's stand-in for a participant on the attendance page: a genuine url-generate link of a ``PRAT-``
test code is confirmed without a participant sign-in (the page does this for test codes, and so does the
conformance kit). Real codes are never confirmed here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from caseapi.rest import catalogue as c
from caseapi.rest.transport import Refused, ok, parse_object, read_body, text

SANDBOX_CONFIRM_PATH = "/api/v1/sandbox/attendance/confirm"

Confirm = Callable[[str], Awaitable[str | None]]


def sandbox_routes(confirm: Confirm) -> list[Route]:
    async def endpoint(request: Request) -> JSONResponse:
        try:
            link = text(parse_object(await read_body(request)), "link", max_len=2048)
            back = await confirm(link)
            if back is None:
                raise Refused(c.INVALID_ATTENDANCE_LINK)
        except Refused as refused:
            return refused.response()
        return ok({"redirect_url": back})

    return [Route(SANDBOX_CONFIRM_PATH, endpoint, methods=["POST"], name="sandbox_attendance_confirm")]
