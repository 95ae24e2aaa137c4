"""ComplaintWorkflow: one per complaint, a durable timer until its service level; an unanswered complaint is then
handed to supervisors (``escalate_complaint``, audited). Answered in time: the activity finds nothing to do."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows.options import ActivityOptions

with workflow.unsafe.imports_passed_through():
    from activities.complaints import ComplaintActivities
    from domain.operator.complaints import EscalateInput, WatchComplaintInput

ESCALATE: ActivityOptions = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(maximum_interval=timedelta(minutes=5)),
}


def complaint_workflow_id(complaint_id: str) -> str:
    return f"complaint-{complaint_id}"


@workflow.defn
class ComplaintWorkflow:
    @workflow.run
    async def run(self, inp: WatchComplaintInput) -> str:
        wait = inp.due_at - workflow.now()
        if wait > timedelta(0):
            await workflow.sleep(wait)
        escalated = await workflow.execute_activity_method(
            ComplaintActivities.escalate_complaint, EscalateInput(inp.complaint_id, workflow.now()), **ESCALATE
        )
        return "ESCALATED" if escalated else "ANSWERED_IN_TIME"
