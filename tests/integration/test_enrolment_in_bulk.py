"""Enrolment in bulk (generation 4): the selected participant's workflow, woken with the card its wave's selection
issued, records the enrolment in that one workflow task without a local activity (it indexes the stage and starts
the deadline's timer); the wave's fan-out writes the same enrolment into the read model and sends the ``ENROLLED``
messages once."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from temporalio.api.enums.v1 import EventType

from caseapi.shared.auth import Role
from domain.case import Stage
from domain.messages import CaseState
from tests.integration.helpers import wait_for_case
from tests.integration.queries import CLOSE_WAVE, JOIN_WAVE, MY_CASE
from tests.integration.test_live_and_complaints import MY_STATUS, next_data, served, subscription
from tests.integration.wave_steps import create_wave, people_in, province_with, ready, wait_wave
from tests.workflows.test_replay import replay_and_maybe_record


async def test_the_woken_selected_only_records_its_card_and_starts_its_timer(stack):
    home = province_with(stack, 40)
    tokens = [await ready(stack, p) for p in people_in(stack, home, 2, skip=24)]
    wave_id = await create_wave(stack, {home: 1})
    await wait_wave(stack, wave_id, "OPEN")
    for t in tokens:
        assert (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=t))["joinWave"]["__typename"] == (
            "WaveHistoryEntry"
        )
    staff = stack.token(Role.STAFF)
    await stack.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "enrolment in bulk test"}, token=staff)
    await wait_wave(stack, wave_id, "ANNOUNCED")
    cases = [(await stack.gql("participant", MY_CASE, token=t))["myCase"] for t in tokens]
    winner = next(k for k, c in enumerate(cases) if c["waves"][-1]["outcome"] == "SELECTED")
    case_id = cases[winner]["id"]
    await wait_for_case(stack, tokens[winner], lambda c: c["stage"] == "ENROLLED")

    handle = stack.client.get_workflow_handle(f"participant-{case_id}")
    for _ in range(100):  # the fan-out may write the row before the workflow's task has run
        state = await handle.query("snapshot", result_type=CaseState)
        events = (await handle.fetch_history()).events
        if state.stage is Stage.ENROLLED and events[-1].event_type == EventType.EVENT_TYPE_TIMER_STARTED:
            break
        await asyncio.sleep(0.1)
    signalled = [i for i, e in enumerate(events) if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]
    assert len(signalled) == 1
    after = [EventType.Name(e.event_type).removeprefix("EVENT_TYPE_") for e in events[signalled[0] :]]
    assert "MARKER_RECORDED" not in after  # no local activity: no projection, no card lookup, no notification
    assert after.count("WORKFLOW_TASK_COMPLETED") == 1
    assert "UPSERT_WORKFLOW_SEARCH_ATTRIBUTES" in after and "TIMER_STARTED" in after

    shown = await stack.store.by_id(case_id)
    assert state.stage is Stage.ENROLLED and shown is not None and shown.stage is Stage.ENROLLED
    assert shown.enrollment == state.enrollment and shown.balance == state.enrollment.credited  # type: ignore[union-attr]
    assert shown.waves == tuple(state.waves) and shown.decisions == tuple(state.decisions)
    async with stack.engine.connect() as conn:
        decided_at = await conn.scalar(text("SELECT decided_at FROM waves WHERE wave_id = :w"), {"w": wave_id})
        sent = (await conn.execute(text("SELECT channel FROM notifications WHERE case_id = :c AND kind = 'ENROLLED'"),
                                   {"c": case_id})).scalars().all()  # fmt: skip
    assert state.enrollment is not None and state.enrollment.enrolled_at == decided_at  # counted from the card
    assert sorted(sent) == ["EMAIL", "SMS"]
    await replay_and_maybe_record(stack.client, f"participant-{case_id}", "participant_enrolled_in_bulk")


async def test_live_status_shows_the_result_without_a_new_version(stack):
    """The participant watching ``myCaseStatus`` while waiting hears the wave's result: the not-selected one from the
    fan-out's folded row (the same version: the workflow was not woken), the selected one enrolled."""
    home = province_with(stack, 40)
    tokens = [await ready(stack, p) for p in people_in(stack, home, 2, skip=26)]
    wave_id = await create_wave(stack, {home: 1})
    await wait_wave(stack, wave_id, "OPEN")
    for t in tokens:
        await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=t)
    async with (
        served(stack.app) as port,
        subscription(port, "participant", tokens[0], MY_STATUS) as first,
        subscription(port, "participant", tokens[1], MY_STATUS) as second,
    ):
        waiting = [await next_data(first), await next_data(second)]
        assert [w["stage"] for w in waiting] == ["IN_WAVE", "IN_WAVE"]
        await asyncio.sleep(0.3)  # both listening
        staff = stack.token(Role.STAFF)
        await stack.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "live status test"}, token=staff)
        heard = [await next_data(first, 30.0), await next_data(second, 30.0)]
    stages = sorted(h["stage"] for h in heard)
    assert stages == ["ELIGIBLE", "ENROLLED"], heard
    loser = next(k for k, h in enumerate(heard) if h["stage"] == "ELIGIBLE")
    assert heard[loser]["version"] == waiting[loser]["version"]
