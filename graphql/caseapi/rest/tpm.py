"""Prakerja's TPM/UK endpoints (partner-api.md §6): a provider forwards a participant's skills-task submission,
reads its status, and grades it.

``POST /api/v1/integration/tpm/submission`` ``{redeem_code, scope, sequence, url_file}``,
``.../tpm/submission/status`` ``{redeem_code, scope, sequence}`` and ``.../tpm/feedback/submission``
``{redeem_code, scope, sequence, notes, url_file?}``; ``scope`` ``tpm`` with ``sequence`` 1–998 or ``uk`` with 999.
Signed like every integration endpoint (:mod:`caseapi.rest.transport`); the integer statuses (partner-api.md §10
#18 leaves their values to us, docs/partner-api/errors.md publishes them):

- ``assignment.status`` (and submission's ``status``): 0 no task open, 1 waiting for the participant's submission,
  2 submitted, 3 lapsed (the 3×24-hour window passed);
- ``feedback.status`` (and feedback's ``status``): 0 not graded since the last submission, 1 passed, 2 revise.

Our optional extension: feedback may carry ``status`` 2 to ask for a revision (the official body has no verdict, so
a grade without it passes the task). ``id`` is the submission's (or grade's) 1-based number within the task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse
from starlette.routing import Route

from caseapi.rest import catalogue as c
from caseapi.rest.ports import RedeemError, TpmGateway
from caseapi.rest.rate_limit import RateLimiter
from caseapi.rest.transport import Call, Refused, SignedApi, integer, ok, text, utc_now
from domain.training import tasks as tk
from domain.training.task_messages import TaskView
from domain.training.trainings import PartnerType

SUBMISSION_PATH = "/api/v1/integration/tpm/submission"
SUBMISSION_STATUS_PATH = "/api/v1/integration/tpm/submission/status"
FEEDBACK_PATH = "/api/v1/integration/tpm/feedback/submission"
MAX_REDEEM_CODE = 64
VERDICTS = {1: tk.Verdict.PASS, 2: tk.Verdict.REVISE}


def task_of(body: dict[str, Any]) -> tuple[str, str, int]:
    """``redeem_code``, ``scope`` (lower case) and a ``sequence`` that fits it."""
    code = text(body, "redeem_code", max_len=MAX_REDEEM_CODE)
    scope = text(body, "scope", max_len=8).lower()
    sequence = integer(body, "sequence")
    if not tk.valid_sequence(scope, sequence):
        raise Refused(c.INVALID_SCOPE)
    return code, scope, sequence


def file_url(body: dict[str, Any], *, required: bool) -> str:
    url = text(body, "url_file", max_len=tk.MAX_URL, required=required)
    if url and not (url.startswith(("https://", "http://")) and not any(ch.isspace() for ch in url)):
        raise Refused(c.INVALID_FILE_URL)
    return url


def _answered(result: TaskView | RedeemError) -> TaskView:
    if isinstance(result, RedeemError):
        raise Refused(c.for_domain_code(result.code), result.message)
    return result


def _part(v: TaskView, scope: str, status: int) -> dict[str, Any]:
    return {"redeem_code": v.redeem_code, "scope": scope, "sequence": v.sequence, "status": status}


class TpmEndpoints:
    def __init__(self, gateway: TpmGateway) -> None:
        self.gateway = gateway

    async def submission(self, call: Call) -> JSONResponse:
        code, scope, sequence = task_of(call.body)
        url = file_url(call.body, required=True)
        v = _answered(await self.gateway.submit(call.client_code, code, sequence, url))
        return ok({"id": v.submission_id, **_part(v, scope, v.assignment_status), "url_file": v.url_file})

    async def status(self, call: Call) -> JSONResponse:
        code, scope, sequence = task_of(call.body)
        v = _answered(await self.gateway.task(call.client_code, code, sequence))
        return ok({"assignment": _part(v, scope, v.assignment_status), "feedback": _part(v, scope, v.feedback_status)})

    async def feedback(self, call: Call) -> JSONResponse:
        code, scope, sequence = task_of(call.body)
        notes = text(call.body, "notes", max_len=tk.MAX_NOTES)
        url = file_url(call.body, required=False)
        verdict = VERDICTS.get(integer(call.body, "status", default=1))
        if verdict is None:
            raise Refused(c.INVALID_BODY, "status (our extension) is 1 (pass) or 2 (revise).")
        v = _answered(await self.gateway.feedback(call.client_code, code, sequence, verdict.value, notes, url))
        part = _part(v, scope, v.feedback_status)
        return ok({"id": v.grade_id, **part, "url_file": v.feedback_url_file, "notes": v.notes})


def tpm_routes(
    gateway: TpmGateway, *, clock: Callable[[], dt.datetime] = utc_now, limiter: RateLimiter | None = None
) -> list[Route]:
    """``POST`` routes of the TPM/UK endpoints (mount at the application root); ``limiter`` as the LP endpoints'."""
    api = SignedApi(gateway, clock, limiter)
    tpm = TpmEndpoints(gateway)
    kind = PartnerType.TRAINING_PROVIDER
    return [
        api.route(SUBMISSION_PATH, kind, tpm.submission, name="tpm_submission"),
        api.route(SUBMISSION_STATUS_PATH, kind, tpm.status, name="tpm_submission_status"),
        api.route(FEEDBACK_PATH, kind, tpm.feedback, name="tpm_feedback_submission"),
    ]
