"""ReconciliationWorkflow: once a day (a Temporal Schedule at 01:00 WIB) compare the payment partner's
statement of the previous day with the payments table and raise every difference to staff."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.payouts import PayoutActivities
    from domain.clock import programme_date
    from domain.payouts.messages import ReconcileResult

SCHEDULE_ID = "reconciliation-daily"


@workflow.defn
class ReconciliationWorkflow:
    @workflow.run
    async def run(self, day: dt.date | None = None) -> ReconcileResult:
        """``day`` defaults to yesterday in WIB (the schedule passes nothing)."""
        target = day or programme_date(workflow.now()) - timedelta(days=1)
        return await workflow.execute_activity_method(
            PayoutActivities.reconcile,
            target,
            start_to_close_timeout=timedelta(minutes=10),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=5)),
        )
