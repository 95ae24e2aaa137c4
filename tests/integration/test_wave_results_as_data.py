"""Wave results are data (generation 3): every joiner's outcome is in the read model at the selection's commit, live
status goes out in batches, only the selected are woken (to enrol), and the others read their result at their next
interaction, one-click rejoin included. A case that joined under older code is still woken whatever its result."""

from __future__ import annotations

import asyncio
import contextlib

import temporalio.workflow
from sqlalchemy import select, text
from temporalio.api.enums.v1 import EventType

from adapters.db.change_feed import PgChangeFeed
from adapters.db.tables import cases, wave_joiners
from caseapi.shared.auth import Role
from domain.change_feed import CASE_CHANGES
from domain.enrollment.card import card_number, is_card_number
from domain.messages import CaseState, ParticipantInput
from tests.integration.helpers import wait_for_case
from tests.integration.payout_queries import CHANGE_PHONE
from tests.integration.queries import CLOSE_WAVE, JOIN_WAVE, MY_CASE
from tests.integration.wave_steps import create_wave, people_in, province_with, ready, wait_wave
from tests.workflows.test_replay import replay_and_maybe_record
from workflows.participant import ParticipantWorkflow
from workflows.participant.generations import WAVE_RESULTS_AS_DATA


async def _join(stack, wave_id: str, token: str) -> dict:
    return (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]


async def _case(stack, token: str) -> dict:
    return (await stack.gql("participant", MY_CASE, token=token))["myCase"]


async def _signals(stack, case_id: str) -> int:
    """``wave_decided`` signals a participant's workflow received, over all its runs."""
    n = 0
    async for run in stack.client.list_workflows(f'WorkflowId = "participant-{case_id}"'):
        history = await stack.client.get_workflow_handle(run.id, run_id=run.run_id).fetch_history()
        n += sum(e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED for e in history.events)
    return n


async def _snapshot(stack, case_id: str) -> CaseState:
    return await stack.client.get_workflow_handle(f"participant-{case_id}").query("snapshot", result_type=CaseState)


async def _wakes(stack, wave_id: str) -> dict[str, bool]:
    async with stack.engine.connect() as conn:
        rows = await conn.execute(select(wave_joiners.c.case_id, wave_joiners.c.wake_all).where(
            wave_joiners.c.wave_id == wave_id))  # fmt: skip
        return dict(rows.all())


async def _close(stack, wave_id: str) -> None:
    staff = stack.token(Role.STAFF)
    closed = await stack.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "results as data test"}, token=staff)
    assert closed["closeWave"]["__typename"] == "Wave"


async def test_results_are_data_and_only_the_selected_are_woken(stack):
    home = province_with(stack, 40)
    people = people_in(stack, home, 2, skip=30)
    tokens = [await ready(stack, p) for p in people]
    wave_id = await create_wave(stack, {home: 1})
    await wait_wave(stack, wave_id, "OPEN")
    ids = [(await _join(stack, wave_id, t)) and (await _case(stack, t))["id"] for t in tokens]
    assert await _wakes(stack, wave_id) == dict.fromkeys(ids, False)  # generation 3: woken only if selected
    async with stack.engine.connect() as conn:
        accounts = dict((await conn.execute(select(cases.c.case_id, cases.c.account_id).where(
            cases.c.case_id.in_(ids)))).all())  # fmt: skip

    feed = PgChangeFeed(stack.engine, (CASE_CHANGES,))
    pushed: dict[str, list[dict]] = {i: [] for i in ids}
    async with contextlib.AsyncExitStack() as subs:
        streams = {i: await subs.enter_async_context(feed.subscribe(CASE_CHANGES, key=accounts[i])) for i in ids}

        async def listen(case_id: str) -> None:
            async for m in streams[case_id]:
                pushed[case_id].append(m)

        listeners = [asyncio.create_task(listen(i)) for i in ids]
        await _close(stack, wave_id)
        await wait_wave(stack, wave_id, "ANNOUNCED")
        for _ in range(100):
            if all(any(m["stage"] != "IN_WAVE" for m in pushed[i]) for i in ids):
                break
            await asyncio.sleep(0.1)
        for t in listeners:
            t.cancel()
    await feed.close()

    found = [await _case(stack, t) for t in tokens]
    loser = next((k for k, c in enumerate(found) if c["waves"][-1]["outcome"] == "NOT_SELECTED"), found)
    assert isinstance(loser, int), found
    winner = 1 - loser
    lost = found[loser]
    # The read model shows the result without the workflow having been told: its own state still waits.
    assert lost["stage"] == "ELIGIBLE" and lost["waves"][-1]["reason"] == "NOT_SELECTED_QUOTA"
    assert lost["decisions"][-1]["kind"] == "WAVE_SELECTION" and lost["decisions"][-1]["outcome"] == "FAIL"
    assert lost["nextAction"].startswith("You are eligible")
    assert (await _snapshot(stack, ids[loser])).waves[-1].outcome is None
    assert await _signals(stack, ids[loser]) == 0
    assert [m["stage"] for m in pushed[ids[loser]]] == ["ELIGIBLE"]  # one live push, from the batch
    # Generation 4: the fan-out writes the winner's enrolled row right after its signal, before the page's push.
    assert any(m["stage"] == "ENROLLED" for m in pushed[ids[winner]])
    await wait_for_case(stack, tokens[winner], lambda c: c["stage"] == "ENROLLED")
    assert await _signals(stack, ids[winner]) == 1
    # Enrolment in bulk: the selection issued the card and credit (at the wave's decision time); the case recorded them.
    async with stack.engine.connect() as conn:
        card = (await conn.execute(text("SELECT card_number, issued_at FROM cards WHERE case_id = :c"),
                                   {"c": ids[winner]})).one()  # fmt: skip
        credits = (await conn.execute(text("SELECT entry_key, amount FROM ledger_entries WHERE case_id = :c"
                                           " AND kind = 'CREDIT'"), {"c": ids[winner]})).all()  # fmt: skip
        decided_at = await conn.scalar(text("SELECT decided_at FROM waves WHERE wave_id = :w"), {"w": wave_id})
    enrolment = (await _snapshot(stack, ids[winner])).enrollment
    assert enrolment is not None and enrolment.card_number == card.card_number and is_card_number(card.card_number)
    assert card.issued_at == decided_at
    assert [(k, a) for k, a in credits] == [(f"{ids[winner]}:credit", enrolment.credited)]

    # One click into the next wave: the case reads the earlier result first and records what the read model shows.
    later = await create_wave(stack, {home: 5})
    await wait_wave(stack, later, "OPEN")
    assert (await _join(stack, later, tokens[loser]))["__typename"] == "WaveHistoryEntry"
    state = await _snapshot(stack, ids[loser])
    assert [(w.wave_id, w.outcome) for w in state.waves] == [(wave_id, "NOT_SELECTED"), (later, None)]
    assert [d.kind for d in state.decisions].count("WAVE_SELECTION") == 1
    now = await _case(stack, tokens[loser])
    assert now["waves"][0] == lost["waves"][0] and now["decisions"][-1] == lost["decisions"][-1]  # the same bytes
    assert now["stage"] == "IN_WAVE"
    # The selected one (enrolled meanwhile) cannot join again.
    assert (await _join(stack, later, tokens[winner]))["__typename"] != "WaveHistoryEntry"
    await replay_and_maybe_record(stack.client, f"participant-{ids[loser]}", "participant_results_as_data")
    await replay_and_maybe_record(stack.client, f"participant-{ids[winner]}", "participant_card_issued_in_bulk")
    await replay_and_maybe_record(stack.client, f"wave-{wave_id}", "wave_results_as_data")


async def test_any_update_reads_the_result_before_it_projects(stack):
    """A case not woken by its wave shows the result it reads first: an unrelated update (a new phone number)
    projects the outcome the read model shows, never the wave it was waiting in."""
    home = province_with(stack, 40)
    people = people_in(stack, home, 2, skip=38)
    tokens = [await ready(stack, p) for p in people]
    wave_id = await create_wave(stack, {home: 1})
    await wait_wave(stack, wave_id, "OPEN")
    for t in tokens:
        assert (await _join(stack, wave_id, t))["__typename"] == "WaveHistoryEntry"
    await _close(stack, wave_id)
    await wait_wave(stack, wave_id, "ANNOUNCED")
    found = [await _case(stack, t) for t in tokens]
    loser = next(k for k, c in enumerate(found) if c["waves"][-1]["outcome"] == "NOT_SELECTED")
    changed = await stack.gql("participant", CHANGE_PHONE, {"p": "081299990001"}, token=tokens[loser])
    assert changed["changePhone"]["__typename"] == "PhoneChanged"
    state = await _snapshot(stack, found[loser]["id"])
    assert state.waves[-1].outcome == "NOT_SELECTED" and state.stage.value == "ELIGIBLE"
    after = await wait_for_case(stack, tokens[loser], lambda c: c["application"]["phone"].endswith("0001"))
    assert after["stage"] == "ELIGIBLE" and after["waves"] == found[loser]["waves"]
    assert after["decisions"] == found[loser]["decisions"]
    assert await _signals(stack, found[loser]["id"]) == 0


async def _as_generation_2(stack, token: str) -> str:
    """The case's workflow again as a run of generation 2 started by older code (it never asks the patch): the
    same state, a fresh run."""
    case_id = (await _case(stack, token))["id"]
    state = await _snapshot(stack, case_id)
    handle = stack.client.get_workflow_handle(f"participant-{case_id}")
    await handle.terminate("restarted as a run of generation 2 for the test")
    await stack.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(case_id, state.scheme_id, state, generation=2),
        id=f"participant-{case_id}",
        task_queue=stack.settings.task_queue,
    )
    return case_id


async def test_a_case_that_joined_under_older_code_is_woken_whatever_its_result(stack, monkeypatch):
    """A run started before generation 3 never asked the patch: it joins with ``wake_all`` and learns its result
    from the fan-out's signal, as before, even when not selected (it finishes the old way)."""
    real = temporalio.workflow.patched
    monkeypatch.setattr(temporalio.workflow, "patched", lambda p: False if p == WAVE_RESULTS_AS_DATA else real(p))
    home = province_with(stack, 40)
    people = people_in(stack, home, 2, skip=33)
    tokens = [await ready(stack, p) for p in people]
    ids = [await _as_generation_2(stack, t) for t in tokens]
    wave_id = await create_wave(stack, {home: 1})
    await wait_wave(stack, wave_id, "OPEN")
    for t in tokens:
        assert (await _join(stack, wave_id, t))["__typename"] == "WaveHistoryEntry"
    assert await _wakes(stack, wave_id) == dict.fromkeys(ids, True)
    monkeypatch.undo()
    await _close(stack, wave_id)
    await wait_wave(stack, wave_id, "ANNOUNCED")
    found = [await wait_for_case(stack, t, lambda c: c["stage"] in ("ELIGIBLE", "ENROLLED")) for t in tokens]
    loser = next(k for k, c in enumerate(found) if c["stage"] == "ELIGIBLE")
    assert await _signals(stack, ids[loser]) == 1  # told, not left to read it at a later interaction
    assert (await _snapshot(stack, ids[loser])).waves[-1].outcome == "NOT_SELECTED"
    await replay_and_maybe_record(stack.client, f"participant-{ids[loser]}", "participant_woken_old_way")


async def test_live_status_goes_out_in_bounded_batches(stack):
    """300 decided joiners of one page: a few NOTIFY messages under PostgreSQL's 8,000-byte limit, carrying every
    change once, expanded by the change feed into the per-case messages a participant's subscription reads."""
    [person] = people_in(stack, province_with(stack, 40), 1, skip=36)
    token = await ready(stack, person)
    model = (await _case(stack, token))["id"]
    wave = f"G-PUSH-{model[:6]}"
    entry = [{"wave_id": wave, "joined_at": "2026-01-01T00:00:00Z", "outcome": "NOT_SELECTED",
              "reason": "NOT_SELECTED_QUOTA", "decided_at": "2026-01-02T00:00:00Z"}]  # fmt: skip
    clone = text(
        "INSERT INTO cases SELECT (jsonb_populate_record(NULL::cases, to_jsonb(c) || jsonb_build_object("
        "'case_id', md5(g::text || :w) || md5(:w || g::text), 'account_id', 'push-' || :w || '-' || g,"
        " 'waves', CAST(:waves AS jsonb), 'stage', 'ELIGIBLE'))).* FROM cases c, generate_series(1, 300) g"
        " WHERE c.case_id = :model"
    )
    import json

    async with stack.engine.begin() as conn:
        await conn.execute(clone, {"w": wave, "waves": json.dumps(entry), "model": model})
        await conn.execute(
            text(
                "INSERT INTO waves (wave_id, number, scheme_id, opens_at, closes_at, status, national_quota, created_by)"
                " VALUES (:w, 1 + floor(random() * 1e9)::int, 'NORMAL_2023', now(), now(), 'SELECTED', 0, 'test')"
            ),
            {"w": wave},
        )
        await conn.execute(
            text(
                "INSERT INTO wave_joiners (wave_id, case_id, province_code, kk_index) SELECT :w, case_id,"
                " province_code, kk_index FROM cases WHERE account_id LIKE 'push-' || :w || '-%'"
            ),
            {"w": wave},
        )
    raw_engine_conn = await stack.engine.connect()
    raw = (await raw_engine_conn.get_raw_connection()).driver_connection
    payloads: list[str] = []
    await raw.add_listener(CASE_CHANGES, lambda *args: payloads.append(args[-1]))
    try:
        from adapters.db.wave_announce import push_range

        sent = await push_range(stack.engine, wave, "", "f" * 64)
        for _ in range(50):
            if len(payloads) >= sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await raw_engine_conn.close()
        async with stack.engine.begin() as conn:
            await conn.execute(text("DELETE FROM wave_joiners WHERE wave_id = :w"), {"w": wave})
            await conn.execute(text("DELETE FROM cases WHERE account_id LIKE 'push-' || :w || '-%'"), {"w": wave})
            await conn.execute(text("DELETE FROM waves WHERE wave_id = :w"), {"w": wave})
    batches = [json.loads(p) for p in payloads if '"changes"' in p and wave in p]
    assert sent == len(batches) and 3 <= sent <= 30
    assert max(len(p.encode()) for p in payloads if wave in p) < 8000
    changes = [c for b in batches for c in b["changes"]]
    assert len(changes) == 300 and len({c[1] for c in changes}) == 300
    from adapters.db.change_feed import expand

    mine = expand(batches[0], everyone=False, keyed={batches[0]["changes"][0][0]: set()})
    assert [m["account_id"] for m in mine] == [batches[0]["changes"][0][0]] and mine[0]["stage"] == "ELIGIBLE"
    assert len(expand(batches[0], everyone=True, keyed={})) == len(batches[0]["changes"])


async def test_card_numbers_issued_in_sql_follow_the_domain_rule(stack):
    """``prakerja_card_number`` (migration 0014) is ``domain.enrollment.card.card_number``: scrambling and Luhn."""
    seqs = [1, 2, 3, 9, 10, 99, 12345, 999_999, 73_939_133_391, 10**13 + 7, 10**14 - 1]
    async with stack.engine.connect() as conn:
        rows = await conn.execute(text("SELECT s, prakerja_card_number(s) FROM unnest(CAST(:s AS bigint[])) AS s"),
                                  {"s": seqs})  # fmt: skip
        got = dict(rows.all())
    assert got == {s: card_number(s) for s in seqs}
