"""``apply``: record the participant's application in their workflow (update-with-start)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.participant.inputs import ApplyInput, to_form
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import (
    AccountHasCase,
    AlreadyApplied,
    ApplicationInvalid,
    FieldError,
    Forbidden,
    NotAuthenticated,
    TemporarilyUnavailable,
    unavailable,
)
from caseapi.shared.guards import require
from caseapi.shared.types import Case, case_view
from caseapi.shared.updates import run_update_with_start
from domain.application.form import check_application
from domain.application.messages import ApplyRequest
from domain.clock import programme_date
from domain.errors import ErrorCode, StoreUnavailable
from domain.nik import blind_index
from domain.scheme import get_scheme
from workflows.participant import ParticipantWorkflow
from workflows.participant.start import start_participant


@strawberry.type(description="The application is recorded (or was already, for this request ID).")
class ApplySuccess:
    case: Case


ApplyResult = Annotated[
    ApplySuccess
    | ApplicationInvalid
    | AlreadyApplied
    | AccountHasCase
    | NotAuthenticated
    | Forbidden
    | TemporarilyUnavailable,
    strawberry.union("ApplyResult"),
]


def _invalid(errors: list[FieldError]) -> ApplicationInvalid:
    return ApplicationInvalid(
        code=ErrorCode.INVALID_APPLICATION,
        message="The application has problems; nothing was recorded.",
        field_errors=errors,
    )


async def apply(info: Info, input: ApplyInput) -> ApplyResult:
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        return principal
    ctx = info.context
    form = to_form(input)
    if isinstance(form, list):
        return _invalid(form)
    scheme = get_scheme(ctx.config.scheme_id)
    problems = check_application(form, scheme=scheme, today=programme_date(dt.datetime.now(dt.UTC)))
    if problems:
        return _invalid([FieldError(field=p.field, code=p.code, message=p.message) for p in problems])

    case_id = blind_index(form.nik, ctx.config.blind_index_key)
    try:
        existing = await ctx.ports.reader.by_account(principal.subject)
    except StoreUnavailable:
        return unavailable("The case database")
    if existing is not None and existing.case_id != case_id:
        return AccountHasCase(code=ErrorCode.ACCOUNT_HAS_CASE, message="This account already has a case.")

    start = start_participant(
        case_id=case_id,
        scheme_id=scheme.id,
        province_code=form.domicile.province_code,
        task_queue=ctx.config.task_queue,
    )
    request = ApplyRequest(request_id=input.request_id, account_id=principal.subject, form=form)
    result = await run_update_with_start(
        ctx, start, ParticipantWorkflow.apply, request, update_id=update_ids.apply(principal.subject, input.request_id)
    )
    if isinstance(result, ApplicationInvalid):
        return result
    if isinstance(result, e.Error):
        return result  # type: ignore[return-value]
    record = await ctx.ports.reader.by_id(case_id)
    if record is None:
        return unavailable("The case database")
    return ApplySuccess(case=case_view(record))
