"""CourseReviewWorkflow: one per course version, through the DP, PMO and assessor layers (``domain.quality.review``).

Each layer has a durable timer at its service level; when it lapses the layer is escalated (audited on the course's
timeline, flagged on the review queues) and the version keeps waiting for that layer. Reviewers decide through the
``review`` update, validated against the current layer (and, at the assessor layer, the assigned body) before
anything is written. A change request or rejection ends the review; the last layer's approval puts the version's
terms into the catalogue. No independent assessor body (every one monitors the provider): escalated, and the
assignment is tried again after each service-level period.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.options import LocalActivityOptions

with workflow.unsafe.imports_passed_through():
    from activities.quality import QualityActivities
    from domain.errors import ErrorCode
    from domain.quality import review as rv
    from domain.quality.messages import AssignInput, ReviewAnswer

STEP: LocalActivityOptions = {
    "start_to_close_timeout": timedelta(seconds=10),
    "retry_policy": RetryPolicy(maximum_interval=timedelta(minutes=1)),
}
"""Each step is a short idempotent PostgreSQL write: a local activity (a history marker, no task of its own)."""


@workflow.defn
class CourseReviewWorkflow:
    @workflow.init
    def __init__(self, inp: rv.ReviewInput) -> None:
        self._inp = inp
        self._layer: rv.Layer | None = rv.LAYERS[0]  # a decision may arrive with the start, before run() begins
        self._body: str | None = None
        self._pending: rv.ReviewDecision | None = None
        self._decided: list[rv.Layer] = []
        self._status = rv.VersionStatus.IN_REVIEW

    @workflow.run
    async def run(self, inp: rv.ReviewInput) -> str:
        levels = dict(inp.service_levels)
        for number, layer in enumerate(rv.LAYERS):
            self._layer, self._body = layer, None
            body = await self._assessor(levels[layer]) if layer is rv.Layer.ASSESSOR else None
            due = workflow.now() + levels[layer]
            self._body = body
            opened = rv.LayerOpened(inp.course_code, inp.version, layer, due, body)
            await self._step(QualityActivities.open_review_layer, opened)
            try:
                await workflow.wait_condition(lambda: self._pending is not None, timeout=levels[layer])
            except TimeoutError:
                lapsed = rv.LayerLapsed(inp.course_code, inp.version, layer, due, workflow.now())
                await self._step(QualityActivities.escalate_review_layer, lapsed)
                await workflow.wait_condition(lambda: self._pending is not None)
            decision = self._pending
            assert decision is not None
            final = rv.outcome(layer, decision.verdict)
            record = rv.DecisionRecord(inp.course_code, inp.version, decision, workflow.now(), final)
            await self._step(QualityActivities.record_review_decision, record)
            self._pending = None
            if final is not None:
                self._status, self._layer, self._body = final, None, None
            else:
                self._layer, self._body = rv.LAYERS[number + 1], None
            self._decided.append(layer)
            if final is not None:
                break
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._status.value

    async def _assessor(self, level: timedelta) -> str | None:
        """An independent assessor body; without one the layer is escalated and asked again each period."""
        inp = self._inp
        assign = AssignInput(inp.course_code, inp.version, inp.provider_code)
        body = await self._step(QualityActivities.assign_assessor, assign)
        while body is None:
            opened = rv.LayerOpened(inp.course_code, inp.version, rv.Layer.ASSESSOR, workflow.now() + level, None)
            await self._step(QualityActivities.open_review_layer, opened)
            lapsed = rv.LayerLapsed(inp.course_code, inp.version, rv.Layer.ASSESSOR, workflow.now(), workflow.now())
            await self._step(QualityActivities.escalate_review_layer, lapsed)
            await workflow.sleep(level)
            body = await self._step(QualityActivities.assign_assessor, assign)
        return body

    async def _step(self, activity, arg):
        return await workflow.execute_local_activity_method(activity, arg, **STEP)

    @workflow.update
    async def review(self, decision: rv.ReviewDecision) -> ReviewAnswer:
        self._pending = decision
        await workflow.wait_condition(lambda: decision.layer in self._decided)
        return ReviewAnswer(self._status, self._layer)

    @review.validator
    def _check_review(self, decision: rv.ReviewDecision) -> None:
        busy = self._pending is not None
        problem = "a decision for this layer is being recorded" if busy else None
        problem = problem or rv.decision_problem(self._layer, self._body, decision)
        if problem:
            code = ErrorCode.INVALID_ARGUMENT if "reason" in problem else ErrorCode.NOT_YOUR_LAYER
            raise ApplicationError(problem, type=code.value, non_retryable=True)

    @workflow.query
    def current_layer(self) -> str | None:
        return self._layer.value if self._layer else None
