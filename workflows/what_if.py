"""WhatIfWorkflow: one per what-if of a decided wave; runs it once as a heartbeating activity, so the staff member's
request returns at once and the run survives a worker or server restart. Staff poll the result (``whatIf``)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

from workflows.options import ActivityOptions

with workflow.unsafe.imports_passed_through():
    from activities.what_if import WhatIfActivities
    from domain.waves.what_if_ports import WhatIfFailure, WhatIfRun

RUN: ActivityOptions = {
    "start_to_close_timeout": timedelta(minutes=30),
    "heartbeat_timeout": timedelta(seconds=20),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=5), maximum_attempts=3),
}
SHORT: ActivityOptions = {"start_to_close_timeout": timedelta(seconds=30)}


def workflow_id(what_if_id: int) -> str:
    return f"whatif-{what_if_id}"


@workflow.defn
class WhatIfWorkflow:
    @workflow.run
    async def run(self, inp: WhatIfRun) -> str:
        try:
            outcome = await workflow.execute_activity_method(WhatIfActivities.run_what_if, inp, **RUN)
        except ActivityError as exc:
            message = str(exc.cause or exc)
            await workflow.execute_activity_method(
                WhatIfActivities.fail_what_if, WhatIfFailure(inp.what_if_id, message), **SHORT
            )
            return f"what-if {inp.what_if_id}: failed ({message})"
        same = " (the real selection)" if outcome.same_as_real else ""
        return f"what-if {inp.what_if_id}: {outcome.selected} selected{same}"
