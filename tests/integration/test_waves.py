"""Waves end to end: staff create and close, participants join, the lottery decides, anyone verifies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from adapters.db.tables import wave_results
from caseapi.shared.auth import Role
from tests.integration.helpers import apply_person, wait_for_case
from tests.integration.queries import (
    CLOSE_WAVE,
    EXTEND_WAVE,
    JOIN_WAVE,
    MY_CASE,
    OPEN_WAVES,
    UPLOAD_COHORT,
    VERIFY_WAVE,
)
from tests.integration.wave_steps import create_wave, people_in, province_with, ready, wait_wave
from tests.workflows.test_replay import replay_and_maybe_record


async def test_a_wave_from_opening_to_verified_lottery(stack):
    home = province_with(stack, 12)
    other = "94" if home != "94" else "95"
    people = people_in(stack, home, 4, skip=6)
    tokens = [await ready(stack, p) for p in people]
    wave_id = await create_wave(stack, {home: 2, other: 1})  # the other province's place goes to the national pool
    wave = await wait_wave(stack, wave_id, "OPEN")
    assert len(wave["seedCommitment"]) == 64 and wave["revealedSeed"] is None
    opened = (await stack.gql("participant", OPEN_WAVES, token=tokens[0]))["openWaves"]
    assert wave_id in [w["id"] for w in opened]

    staff = stack.token(Role.STAFF)
    upload = f"nik\n{people[3].nik}\nnot-a-nik\n"
    cohort = await stack.gql("staff", UPLOAD_COHORT, {"id": wave_id, "cohort": "KEMNAKER", "file": upload}, token=staff)
    assert cohort["uploadPriorityCohort"] == {"__typename": "CohortUploaded", "accepted": 1, "rejectedLines": [3]}
    for token in tokens:
        joined = (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]
        assert joined["__typename"] == "WaveHistoryEntry" and joined["outcome"] is None
    again = (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=tokens[0]))["joinWave"]
    assert again["__typename"] == "WaveHistoryEntry"  # a repeated click is harmless
    counts = {p["provinceCode"]: p for p in (await wait_wave(stack, wave_id, "OPEN"))["provinces"]}
    assert counts[home]["joined"] == 4 and counts[home]["quota"] == 2

    closed = await stack.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "quota reached early"}, token=staff)
    assert closed["closeWave"]["__typename"] == "Wave"
    wave = await wait_wave(stack, wave_id, "ANNOUNCED")
    assert wave["selectedCount"] == 3 and len(wave["revealedSeed"]) == 64

    cases = [await wait_for_case(stack, t, lambda c: c["waves"][-1]["outcome"] is not None) for t in tokens]
    reasons = sorted(c["waves"][-1]["reason"] for c in cases)
    assert reasons == ["NOT_SELECTED_QUOTA", "SELECTED_LOTTERY", "SELECTED_PRIORITY", "SELECTED_REDISTRIBUTION"]
    assert cases[3]["waves"][-1]["reason"] == "SELECTED_PRIORITY"
    for case in cases:
        selected = case["waves"][-1]["outcome"] == "SELECTED"
        assert case["stage"] in (("SELECTED", "ENROLLED") if selected else ("ELIGIBLE",))
        assert case["decisions"][-1]["kind"] == "WAVE_SELECTION" and case["waves"][-1]["reasonText"]

    verified = (await stack.gql("participant", VERIFY_WAVE, {"id": wave_id}))["verifyWaveSelection"]
    assert verified["commitmentOk"] and verified["identical"] and verified["differences"] == 0
    await replay_and_maybe_record(stack.client, f"wave-{wave_id}", "wave_lifecycle")
    await replay_and_maybe_record(stack.client, f"participant-{cases[0]['id']}", "participant_in_wave")

    # The one not selected joins a later wave with one click: no re-entry, no re-test.
    loser = next(t for t, c in zip(tokens, cases, strict=True) if c["stage"] == "ELIGIBLE")
    later = await create_wave(stack, {home: 5})
    await wait_wave(stack, later, "OPEN")
    joined = (await stack.gql("participant", JOIN_WAVE, {"id": later}, token=loser))["joinWave"]
    assert joined["__typename"] == "WaveHistoryEntry"
    history = (await stack.gql("participant", MY_CASE, token=loser))["myCase"]["waves"]
    assert [h["waveId"] for h in history] == [wave_id, later]

    # Tampering with a published result is caught by anyone re-running the lottery.
    async with stack.engine.begin() as conn:
        await conn.execute(
            update(wave_results)
            .where(wave_results.c.wave_id == wave_id, wave_results.c.reason == "NOT_SELECTED_QUOTA")
            .values(selected=True, reason="SELECTED_LOTTERY")
        )
    tampered = (await stack.gql("participant", VERIFY_WAVE, {"id": wave_id}))["verifyWaveSelection"]
    assert not tampered["identical"] and tampered["differences"] >= 1


async def test_joining_rules_are_typed_errors(stack):
    home = province_with(stack, 12)
    elsewhere = "94" if home != "94" else "95"
    [person, untested_person] = people_in(stack, home, 2, skip=1)
    token = await ready(stack, person)
    wrong_province = await create_wave(stack, {elsewhere: 10})
    mine, second = await create_wave(stack, {home: 10}), await create_wave(stack, {home: 10})
    for w in (wrong_province, mine, second):
        await wait_wave(stack, w, "OPEN")

    async def join(wave_id: str, tok: str = token) -> str:
        return (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=tok))["joinWave"]["__typename"]

    assert await join("G-NOPE") == "WaveNotFound"
    assert await join(wrong_province) == "WrongProvince"
    assert await join(mine) == "WaveHistoryEntry"
    assert await join(second) == "AlreadyInWave"  # one wave at a time
    _, untested = await apply_person(stack, untested_person)
    assert await join(mine, untested) == "AbilityTestNotPassed"

    staff = stack.token(Role.STAFF)
    await stack.gql("staff", CLOSE_WAVE, {"id": second, "reason": "closing for the test"}, token=staff)
    await wait_wave(stack, second, "ANNOUNCED")
    assert await join(second, untested) in ("WaveNotOpen", "AbilityTestNotPassed")
    late = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    closed = await stack.gql("staff", EXTEND_WAVE, {"id": second, "at": late, "reason": "too late now"}, token=staff)
    assert closed["extendWave"]["__typename"] == "WaveNotOpen"
    extended = await stack.gql("staff", EXTEND_WAVE, {"id": mine, "at": late, "reason": "more applicants"}, token=staff)
    assert extended["extendWave"]["__typename"] == "Wave"
    scoped = stack.token(Role.STAFF, provinces=[home])
    refused = await stack.gql("staff", CLOSE_WAVE, {"id": mine, "reason": "not mine to close"}, token=scoped)
    assert refused["closeWave"]["__typename"] == "Forbidden"


async def test_a_repeated_decision_signal_is_applied_once(stack):
    home = province_with(stack, 12)
    [person] = people_in(stack, home, 1, skip=10)
    token = await ready(stack, person)
    wave_id = await create_wave(stack, {home: 5})
    await wait_wave(stack, wave_id, "OPEN")
    await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token)
    await stack.gql(
        "staff", CLOSE_WAVE, {"id": wave_id, "reason": "closing for the test"}, token=stack.token(Role.STAFF)
    )
    await wait_wave(stack, wave_id, "ANNOUNCED")
    case = await wait_for_case(stack, token, lambda c: c["stage"] in ("SELECTED", "ENROLLED"))
    handle = stack.client.get_workflow_handle(f"participant-{case['id']}")
    from domain.waves.lifecycle import WaveDecided

    for _ in range(3):  # a fan-out retried after a worker crash re-sends signals
        await handle.signal("wave_decided", WaveDecided(wave_id))
    case = await wait_for_case(stack, token, lambda c: True)
    assert [d["kind"] for d in case["decisions"]].count("WAVE_SELECTION") == 1
    assert len(case["waves"]) == 1
