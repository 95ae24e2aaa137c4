"""An unanswered complaint is handed to supervisors by a durable timer when its service level lapses, audited; one
answered in time is left alone (time-skipping server, real PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import pytest_asyncio
from temporalio.worker import Worker

from activities.complaints import ComplaintActivities
from adapters.db.complaints import PgComplaintDesk
from adapters.db.engine import make_engine
from adapters.db.operator_desk import PgOperatorDesk
from domain.operator import complaints as cm
from tests.workflows.test_replay import replay_and_maybe_record
from worker import workflow_runner
from workflows.complaint import ComplaintWorkflow, complaint_workflow_id


@pytest_asyncio.fixture(loop_scope="session")
async def engine(pg_url):
    e = make_engine(pg_url, pool_size=4, max_overflow=2)
    yield e
    await e.dispose()


async def _filed(desk: PgComplaintDesk, now: dt.datetime, due_in: dt.timedelta) -> cm.Complaint:
    c = cm.Complaint(
        id=uuid.uuid4().hex,
        case_id=uuid.uuid4().hex,
        province_code="32",
        request_id=uuid.uuid4().hex,
        category=cm.ComplaintCategory.PAYMENT,
        text="Insentif belum masuk ke rekening saya.",
        filed_at=now,
        sla_due_at=now + due_in,
    )
    return await desk.file(c)


@pytest.mark.timeout(90)
async def test_unanswered_is_escalated_at_its_due_time_and_answered_is_not(env, engine):
    desk, audit = PgComplaintDesk(engine), PgOperatorDesk(engine)
    task_queue = f"tq-{uuid.uuid4().hex[:8]}"
    now = await env.get_current_time()
    late = await _filed(desk, now, dt.timedelta(days=2))
    answered = await _filed(desk, now, dt.timedelta(days=2))
    acts = ComplaintActivities(desk, audit)
    async with Worker(
        env.client,
        task_queue=task_queue,
        workflows=[ComplaintWorkflow],
        activities=[acts.escalate_complaint],
        workflow_runner=workflow_runner(),
    ):
        handles = {}
        for c in (late, answered):
            handles[c.id] = await env.client.start_workflow(
                ComplaintWorkflow.run,
                cm.WatchComplaintInput(c.id, c.sla_due_at),
                id=complaint_workflow_id(c.id),
                task_queue=task_queue,
            )
        await env.sleep(dt.timedelta(days=1))
        assert (await desk.get(late.id)).escalated_at is None  # not before its time
        await desk.answer(answered.id, "staff:ana", "Sudah kami teruskan ke bank; dana masuk besok.", now)
        assert await handles[late.id].result() == "ESCALATED"
        assert await handles[answered.id].result() == "ANSWERED_IN_TIME"
    escalated = await desk.get(late.id)
    assert escalated.escalated_at is not None and escalated.escalated_at >= late.sla_due_at
    assert (await desk.get(answered.id)).escalated_at is None
    queue = await desk.queue(None, [cm.ComplaintStatus.OPEN], overdue_at=None, escalated_only=True)
    assert late.id in {c.id for c in queue} and answered.id not in {c.id for c in queue}
    entries = await audit.audit_for_case(late.case_id)
    assert [(e.actor, e.action) for e in entries] == [("system:timer", "COMPLAINT_ESCALATED")]
    assert await audit.audit_for_case(answered.case_id) == []
    assert await acts.escalate_complaint(cm.EscalateInput(late.id, now)) is False  # a retry escalates once
    await replay_and_maybe_record(env.client, complaint_workflow_id(late.id), "complaint_escalated")
