"""Calling a participant workflow's update and mapping refusals to typed GraphQL errors, in one place."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.client import (
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared.context import Context
from domain.errors import ErrorCode

log = logging.getLogger(__name__)


def _application_invalid(*, code: ErrorCode, message: str) -> e.ApplicationInvalid:
    return e.ApplicationInvalid(
        code=code,
        message="The application has problems; nothing was recorded.",
        field_errors=[e.FieldError(field="form", code=code.value, message=message)],
    )


ERROR_TYPES: dict[ErrorCode, Callable[..., e.Error]] = {
    ErrorCode.INVALID_APPLICATION: _application_invalid,
    ErrorCode.ALREADY_APPLIED: e.AlreadyApplied,
    ErrorCode.ACCOUNT_HAS_CASE: e.AccountHasCase,
    ErrorCode.CASE_NOT_FOUND: e.NoCaseYet,
    ErrorCode.NOT_ELIGIBLE: e.NotEligible,
    ErrorCode.ABILITY_TEST_PASSED: e.AbilityTestAlreadyPassed,
    ErrorCode.NO_ATTEMPTS_LEFT: e.NoAttemptsLeft,
    ErrorCode.NO_TEST_IN_PROGRESS: e.NoTestInProgress,
    ErrorCode.ABILITY_TEST_EXPIRED: e.AbilityTestExpired,
    ErrorCode.INVALID_ARGUMENT: e.InvalidArgument,
    ErrorCode.TEST_NOT_PASSED: e.AbilityTestNotPassed,
    ErrorCode.ALREADY_IN_WAVE: e.AlreadyInWave,
    ErrorCode.ALREADY_SELECTED: e.AlreadySelected,
    ErrorCode.WAVE_NOT_FOUND: e.WaveNotFound,
    ErrorCode.WAVE_NOT_OPEN: e.WaveNotOpen,
    ErrorCode.WRONG_PROVINCE: e.WrongProvince,
    ErrorCode.COURSE_NOT_FOUND: e.CourseNotFound,
    **{
        code: e.PurchaseRefused
        for code in (
            ErrorCode.CARD_INACTIVE,
            ErrorCode.PURCHASE_DEADLINE_PASSED,
            ErrorCode.TRAINING_UNFINISHED,
            ErrorCode.INSUFFICIENT_BALANCE,
            ErrorCode.PRICE_MISMATCH,
            ErrorCode.OTP_INVALID,
            ErrorCode.OTP_ATTEMPTS_EXCEEDED,
            ErrorCode.OTP_RATE_LIMITED,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ErrorCode.SCHEDULE_FULL,
        )
    },
    **{
        code: e.RedeemRefused
        for code in (
            ErrorCode.REDEEM_CODE_NOT_FOUND,
            ErrorCode.TRAINING_TYPE_MISMATCH,
            ErrorCode.CODE_OF_OTHER_PROVIDER,
            ErrorCode.CODE_CANCELLED,
            ErrorCode.TRANSACTION_CANCELLED,
            ErrorCode.CODE_ALREADY_USED,
            ErrorCode.OUTSIDE_REDEEM_WINDOW,
            ErrorCode.INVALID_SEQUENCE,
        )
    },
    **{
        code: e.PayoutRefused
        for code in (
            ErrorCode.NOT_ENROLLED,
            ErrorCode.ACCOUNT_NOT_FOUND,
            ErrorCode.NIK_MISMATCH,
            ErrorCode.KYC_NOT_VERIFIED,
            ErrorCode.ACCOUNT_CLOSED,
            ErrorCode.ACCOUNT_ALREADY_LINKED,
            ErrorCode.NO_ACCOUNT_LINKED,
            ErrorCode.PAYOUT_IN_PROGRESS,
            ErrorCode.UNLINK_FIRST,
        )
    },
    **{
        code: e.SurveyRefused
        for code in (ErrorCode.SURVEY_NOT_FOUND, ErrorCode.SURVEY_NOT_OPEN, ErrorCode.SURVEY_CLOSED)
    },
    **{code: e.ClawbackRefused for code in (ErrorCode.CLAWBACK_ACTIVE, ErrorCode.NO_RECEIVABLE, ErrorCode.OVERPAYMENT)},
    ErrorCode.PAYMENT_PARTNER_UNAVAILABLE: e.TemporarilyUnavailable,
    ErrorCode.ACTION_NOT_APPLICABLE: e.ActionRefused,
    ErrorCode.NOT_YOUR_PURCHASE: e.TrainingActionRefused,
    **{
        code: e.SkillsTaskRefused
        for code in (
            ErrorCode.SKILLS_TASK_NOT_FOUND,
            ErrorCode.SKILLS_TASK_LAPSED,
            ErrorCode.SKILLS_TASK_STATE,
            ErrorCode.SKILLS_TASKS_PENDING,
        )
    },
    ErrorCode.INVALID_TRAINING_STATE: e.TrainingActionRefused,
}


def refusal(exc: WorkflowUpdateFailedError) -> e.Error:
    """The typed error for a workflow's refusal; anything unexpected is re-raised (and masked)."""
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type in ErrorCode.__members__:
        code = ErrorCode(cause.type)
        if code in ERROR_TYPES:
            return ERROR_TYPES[code](code=code, message=cause.message)
    raise exc


async def run_update(ctx: Context, workflow_id: str, update: Any, arg: Any, *, update_id: str) -> Any:
    """The update's result, or a typed error (refusal, or the engine unreachable)."""
    handle = ctx.ports.client.get_workflow_handle(workflow_id)
    timeout = dt.timedelta(seconds=ctx.config.update_timeout_seconds)
    return await _answered(
        handle.execute_update(update, arg, id=update_id, rpc_timeout=timeout), update_id, workflow_id
    )


async def run_update_with_start(
    ctx: Context, start: WithStartWorkflowOperation[Any, Any], update: Any, arg: Any, *, update_id: str
) -> Any:
    """Like ``run_update``, starting the workflow (``start``) if it is not running."""
    timeout = dt.timedelta(seconds=ctx.config.update_timeout_seconds)
    call = ctx.ports.client.execute_update_with_start_workflow(
        update, arg, start_workflow_operation=start, id=update_id, rpc_timeout=timeout
    )
    return await _answered(call, update_id, "update-with-start")


async def _answered(call: Awaitable[Any], update_id: str, workflow_id: str) -> Any:
    try:
        return await call
    except WorkflowUpdateFailedError as exc:
        return refusal(exc)
    except (WorkflowUpdateRPCTimeoutOrCancelledError, RPCError) as exc:
        log.warning(
            "update %s on %s unavailable: %s %r",
            update_id.split(":")[0],
            workflow_id[:24],
            type(exc).__name__,
            exc.__cause__ or exc,
        )
        return e.unavailable()
