"""``apply``: record the participant's application in their workflow (update-with-start)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from temporalio.client import (
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from caseapi.participant.inputs import ApplyInput, to_form
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
from caseapi.shared.updates import refusal
from domain.application import check_application
from domain.case import Stage
from domain.clock import programme_date
from domain.errors import ErrorCode, StoreUnavailable
from domain.messages import ApplyRequest, ParticipantInput
from domain.nik import blind_index
from domain.scheme import get_scheme
from workflows.base import GENERATION
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import CASE_STAGE, PROVINCE, workflow_id_for


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
        existing = await ctx.reader.by_account(principal.subject)
    except StoreUnavailable:
        return unavailable("The case database")
    if existing is not None and existing.case_id != case_id:
        return AccountHasCase(code=ErrorCode.ACCOUNT_HAS_CASE, message="This account already has a case.")

    start = WithStartWorkflowOperation(
        ParticipantWorkflow.run,
        ParticipantInput(case_id=case_id, scheme_id=scheme.id, generation=GENERATION),
        id=workflow_id_for(case_id),
        task_queue=ctx.config.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        search_attributes=TypedSearchAttributes(
            [
                SearchAttributePair(CASE_STAGE, Stage.STARTED.value),
                SearchAttributePair(PROVINCE, form.domicile.province_code),
            ]
        ),
    )
    try:
        await ctx.client.execute_update_with_start_workflow(
            ParticipantWorkflow.apply,
            ApplyRequest(request_id=input.request_id, account_id=principal.subject, form=form),
            start_workflow_operation=start,
            id=f"apply:{principal.subject}:{input.request_id}",
            rpc_timeout=dt.timedelta(seconds=ctx.config.update_timeout_seconds),
        )
    except WorkflowUpdateFailedError as exc:
        return _refusal(exc)
    except (WorkflowUpdateRPCTimeoutOrCancelledError, RPCError):
        return unavailable()
    record = await ctx.reader.by_id(case_id)
    if record is None:
        return unavailable("The case database")
    return ApplySuccess(case=case_view(record))


def _refusal(exc: WorkflowUpdateFailedError) -> ApplyResult:
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type == ErrorCode.INVALID_APPLICATION:
        return _invalid([FieldError(field="form", code="INVALID_APPLICATION", message=cause.message)])
    return refusal(exc)  # type: ignore[return-value]
