"""A workflow reset after a payment (``temporal workflow reset`` to the first workflow task): the new run pays
the tranche again from the start, but the payment keys do not depend on the run ID, so the partner moves money
once and the new run learns it was paid. A run of the current generation and one started before generations
(it asks ``workflow.patched``) are both reset, and the reset run's history replays in full.

The runs are watched through their histories, not by queries: a query answered while a local activity's
result is pending makes the SDK core (1.35) end the workflow task early, and a patch first asked after that
activity then no longer replays (README, "Changing workflow code")."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest

from adapters.db.payments import PgPaymentStore
from caseapi.shared.history import raw_events
from domain.messages import ParticipantInput
from domain.payouts.ports import PaymentStatus
from domain.payouts.tranches import TrancheStatus
from domain.timeline import history_events
from tests.integration.helpers import clean_people
from tests.workflows.payout_steps import due_case, local_activities, patch_markers, payment_problems, until
from tests.workflows.test_ability_test_deadline import _form
from tests.workflows.test_replay import _replayer
from workflows.participant import ParticipantWorkflow
from workflows.participant.generations import GENERATION


async def _settled(handle):
    """The run's history once it has projected the tranche it paid (the projection follows the transfer)."""
    history = await handle.fetch_history()
    done = local_activities(history)
    return history if "pay_tranche" in done and "project_case" in done[done.index("pay_tranche") :] else None


@pytest.mark.timeout(120)
@pytest.mark.parametrize("generation", [GENERATION, 0], ids=["current-generation", "started-before-generations"])
async def test_a_reset_after_payment_pays_nothing_twice(stack, generation):
    person = clean_people(stack.population)[320 + generation]
    state = due_case(_form(person), dt.datetime.now(dt.UTC))
    account = state.payout_account
    await stack.partner.open_account(account.provider, account.account_number, person.nik, person.full_name)
    wid = f"participant-{state.case_id}"
    handle = await stack.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(state.case_id, state.scheme_id, state, generation),
        id=wid,
        task_queue=stack.settings.task_queue,
    )
    history = await until(lambda: _settled(handle), 30, "the first payment")
    before = await handle.query(ParticipantWorkflow.snapshot)
    assert before.incentives[0].status is TrancheStatus.PAID
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
    await _replayer().replay_workflow(await until(lambda: _settled(new_run), 30, "the reset run to settle"))
    after = await new_run.query(ParticipantWorkflow.snapshot)
    assert after.incentives[0].status is TrancheStatus.PAID
    # A run of the current generation (every case the API starts) records no patch markers, before or after
    # the reset; an older run asks its patches again. (Each run's own history: the handle's latest run is its
    # continued-as-new successor.)
    for run_id in (handle.result_run_id, reset.run_id):
        markers = patch_markers(await stack.client.get_workflow_handle(wid, run_id=run_id).fetch_history())
        assert (markers == 0) is (generation == GENERATION), (run_id, markers)
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
