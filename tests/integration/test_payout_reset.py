"""A workflow reset after a payment (``temporal workflow reset`` to the first workflow task): the new run pays
the tranche again from the start, but the payment keys do not depend on the run ID, so the partner moves money
once and the new run learns it was paid."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest

from adapters.db.payments import PgPaymentStore
from caseapi.staff.history import raw_events
from domain.messages import ParticipantInput
from domain.payout_ports import PaymentStatus
from domain.payouts import TrancheStatus
from domain.timeline import history_events
from tests.integration.helpers import clean_people
from tests.workflows.payout_steps import due_case, patch_markers, payment_problems, until
from tests.workflows.test_ability_test_deadline import _form
from workflows.base import GENERATION
from workflows.participant import ParticipantWorkflow


@pytest.mark.timeout(120)
async def test_a_reset_after_payment_pays_nothing_twice(stack):
    person = clean_people(stack.population)[320]
    state = due_case(_form(person), dt.datetime.now(dt.UTC))
    account = state.payout_account
    await stack.partner.open_account(account.provider, account.account_number, person.nik, person.full_name)
    wid = f"participant-{state.case_id}"
    handle = await stack.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(state.case_id, state.scheme_id, state, GENERATION),
        id=wid,
        task_queue=stack.settings.task_queue,
    )

    async def paid_in(h):
        s = await h.query(ParticipantWorkflow.snapshot)
        return s if s.incentives[0].status is TrancheStatus.PAID else None

    before = await until(lambda: paid_in(handle), 30, "the first payment")
    history = await handle.fetch_history()
    first_task = next(
        e.event_id for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    )
    reset = await stack.client.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=stack.client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=wid, run_id=handle.result_run_id or ""),
            reason="drill: reset after a payment",
            workflow_task_finish_event_id=first_task,
            request_id=uuid.uuid4().hex,
        )
    )
    assert reset.run_id and reset.run_id != handle.result_run_id
    new_run = stack.client.get_workflow_handle(wid, run_id=reset.run_id)
    after = await until(lambda: paid_in(new_run), 30, "the reset run to settle the tranche")
    # A run of the current generation (every case the API starts) records no patch markers, before or after
    # the reset. (The first run's own history: the handle's latest run is its continued-as-new successor.)
    for run_id in (handle.result_run_id, reset.run_id):
        assert patch_markers(await stack.client.get_workflow_handle(wid, run_id=run_id).fetch_history()) == 0
    assert after.incentives[0].partner_ref == before.incentives[0].partner_ref
    [row] = await PgPaymentStore(stack.engine).for_case(state.case_id)
    assert row.status is PaymentStatus.PAID and row.attempt == 1
    assert len(await stack.partner.transfers(key_prefix=f"{state.case_id}:")) == 1
    # Both runs' transfers (local activities) are on the staff timeline.
    sent = [e for e in history_events(await raw_events(stack.client, wid)) if e.category == "PAYOUT"]
    assert [(e.what, e.run_id) for e in sent] == [
        ("transfer of incentive 1 sent", run) for run in (reset.run_id, handle.result_run_id)
    ], sent
    await stack.client.get_workflow_handle(wid).terminate("drill finished")  # the latest run of the chain
    assert await payment_problems(stack.engine, [state.case_id]) == []
