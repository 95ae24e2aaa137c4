"""Submitting a course version and deciding a review layer: shared by the partner and staff schemas.

A submission writes the version (IN_REVIEW at the DP layer) and starts its ``CourseReviewWorkflow``; a retry with
the same terms finds the same version and its running workflow. A decision is the workflow's ``review`` update, its
ID built from the version, the layer and the reviewer's request ID, so a repeated request is answered once.
"""

from __future__ import annotations

import datetime as dt
import logging

from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared.context import Context
from caseapi.shared.course_review_types import CourseVersion, ReviewRefused, version_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.quality import review as rv
from domain.quality.messages import ReviewAnswer
from domain.quality.ports import QualityPorts, SubmitRefused
from domain.scheme import get_scheme
from workflows.course_review import CourseReviewWorkflow

log = logging.getLogger(__name__)


def refused(code: ErrorCode, message: str) -> ReviewRefused:
    return ReviewRefused(code=code, message=message)


def quality_of(ctx: Context) -> QualityPorts:
    quality = ctx.ports.quality
    if quality is None:
        raise StoreUnavailable("course quality ports are not configured")
    return quality


async def start_review(ctx: Context, view: rv.VersionView) -> None:
    levels = rv.service_levels(get_scheme(ctx.config.scheme_id))
    inp = rv.ReviewInput(view.course_code, view.version, view.provider_code, view.platform_code, levels)
    await ctx.ports.client.start_workflow(
        CourseReviewWorkflow.run,
        inp,
        id=rv.review_workflow_id(view.course_code, view.version),
        task_queue=ctx.config.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )


async def submit_version(
    ctx: Context, content: rv.VersionContent, by: str
) -> CourseVersion | ReviewRefused | e.TemporarilyUnavailable:
    now = dt.datetime.now(dt.UTC)
    try:
        view = await quality_of(ctx).reviews.submit(content, rv.material_digest(content), by, now)
    except SubmitRefused:
        return refused(ErrorCode.REVIEW_IN_PROGRESS, "Another version of this course is in review; wait for it.")
    except StoreUnavailable:
        return e.unavailable("The course reviews")
    try:
        await start_review(ctx, view)
    except RPCError:
        return e.unavailable()  # the version stands; the same submission again starts its review
    return version_view(view)


async def decide(
    ctx: Context, view: rv.VersionView, decision: rv.ReviewDecision, request_id: str
) -> CourseVersion | ReviewRefused | e.InvalidArgument | e.TemporarilyUnavailable:
    """The decision, if the version waits for its layer; a repeat of a decision this reviewer already took there
    (a retry after a lost answer) gets the version as it stands."""
    course_code, version = view.course_code, view.version
    if any(layer is decision.layer and actor == decision.actor for layer, _, actor, _, _ in view.decisions):
        return version_view(view)
    if view.status is not rv.VersionStatus.IN_REVIEW or view.layer is not decision.layer:
        return refused(ErrorCode.NOT_YOUR_LAYER, f"This version is not waiting for the {decision.layer.value} review.")
    handle = ctx.ports.client.get_workflow_handle(rv.review_workflow_id(course_code, version))
    timeout = dt.timedelta(seconds=ctx.config.update_timeout_seconds)
    update_id = f"review:{course_code}:v{version}:{decision.layer.value}:{request_id}"
    try:
        answer = await handle.execute_update(
            CourseReviewWorkflow.review, decision, id=update_id, rpc_timeout=timeout, result_type=ReviewAnswer
        )
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError) and cause.type == ErrorCode.INVALID_ARGUMENT.value:
            return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=cause.message)
        if isinstance(cause, ApplicationError):
            return refused(ErrorCode.NOT_YOUR_LAYER, cause.message)
        raise
    except (WorkflowUpdateRPCTimeoutOrCancelledError, RPCError) as exc:
        log.warning("review update %s unavailable: %r", update_id, exc)
        return e.unavailable()
    del answer  # the version as stored now says the same, with the decision and its reasons
    try:
        view = await quality_of(ctx).reviews.version(course_code, version)
    except StoreUnavailable:
        return e.unavailable("The course reviews")
    assert view is not None
    return version_view(view)
