"""Skills-task actions of a provider (forward a submission, grade, reopen, read): shared by the partner GraphQL
mutations and the official TPM/UK REST endpoints, so both run the same workflow updates and queries."""

from __future__ import annotations

from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Context
from caseapi.shared.redeem_calls import case_of_code
from caseapi.shared.updates import run_update
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.task_messages import GradeTaskRequest, SubmitTaskRequest, TaskRef, TaskView
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for

TaskAnswer = TaskView | e.Error


async def _case(ctx: Context, provider_code: str, redeem_code: str) -> str | e.Error:
    try:
        return await case_of_code(ctx, provider_code, redeem_code)
    except StoreUnavailable:
        return e.unavailable("The voucher registry")


async def forward_submission(
    ctx: Context, provider_code: str, redeem_code: str, sequence: int, url_file: str, journal: str = ""
) -> TaskAnswer:
    case_id = await _case(ctx, provider_code, redeem_code)
    if not isinstance(case_id, str):
        return case_id
    req = SubmitTaskRequest(redeem_code.strip(), sequence, url_file, journal, provider_code=provider_code)
    uid = update_ids.attempt("task-submit", provider_code, redeem_code.strip(), str(sequence))
    return await run_update(ctx, workflow_id_for(case_id), ParticipantWorkflow.submit_skills_task, req, update_id=uid)


async def grade_task(ctx: Context, req: GradeTaskRequest) -> TaskAnswer:
    case_id = await _case(ctx, req.provider_code, req.redeem_code)
    if not isinstance(case_id, str):
        return case_id
    uid = update_ids.attempt("task-grade", req.provider_code, req.redeem_code, str(req.sequence))
    return await run_update(ctx, workflow_id_for(case_id), ParticipantWorkflow.grade_skills_task, req, update_id=uid)


async def reopen_task(ctx: Context, ref: TaskRef) -> TaskAnswer:
    case_id = await _case(ctx, ref.provider_code, ref.redeem_code)
    if not isinstance(case_id, str):
        return case_id
    uid = update_ids.attempt("task-reopen", ref.provider_code, ref.redeem_code, str(ref.sequence))
    return await run_update(ctx, workflow_id_for(case_id), ParticipantWorkflow.reopen_skills_task, ref, update_id=uid)


async def task_status(ctx: Context, ref: TaskRef) -> TaskAnswer:
    """The task's state (read-only; the workflow answers from its state)."""
    case_id = await _case(ctx, ref.provider_code, ref.redeem_code)
    if not isinstance(case_id, str):
        return case_id
    handle = ctx.ports.client.get_workflow_handle(workflow_id_for(case_id))
    try:
        view = await handle.query(ParticipantWorkflow.skills_task, ref)
    except (WorkflowQueryFailedError, RPCError):
        return e.unavailable()
    if view is None:
        return e.RedeemRefused(code=ErrorCode.REDEEM_CODE_NOT_FOUND, message="There is no such redeem code.")
    return view
