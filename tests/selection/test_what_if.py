"""The what-if against the pure reference rule, on a real (embedded) PostgreSQL: same parameters give back the real
selection exactly, changed ones give the reference's counts, and the real result is never touched."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

from sqlalchemy import select, text

from adapters.db.selection import PgSelection
from adapters.db.tables import recipients, wave_results, waves
from adapters.db.what_if import PgWhatIfDesk
from domain.waves.selection import SelectionInput
from domain.waves.selection import select as reference
from domain.waves.what_if import WhatIfParams, WhatIfStatus
from tests.selection.test_sql import Wave, make_wave

Cells = Counter[tuple[str, str, str]]


def expected_cells(real: SelectionInput, what_if: SelectionInput) -> Cells:
    """(province, real reason, what-if reason) -> joiners, by the reference rule."""
    province = {j.case_id: j.province_code for j in real.joiners}
    before, after = reference(real), reference(what_if)
    return Counter((province[c], before[c].reason, after[c].reason) for c in before)


async def stored_cells(engine, what_if_id: int) -> Cells:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT province_code, real_reason, what_if_reason, joiners FROM what_if_cells WHERE what_if_id = :i"),
            {"i": what_if_id},
        )
        return Counter({(p, r, w): n for p, r, w, n in rows})


async def snapshot(engine, wave_id: str) -> tuple:
    async with engine.connect() as conn:
        results = (await conn.execute(select(wave_results).where(wave_results.c.wave_id == wave_id))).all()
        chosen = (await conn.execute(select(recipients).where(recipients.c.wave_id == wave_id))).all()
        wave = (await conn.execute(select(waves).where(waves.c.wave_id == wave_id))).one()
    return sorted(results), sorted(chosen), wave


async def decided_wave(engine, seed: int) -> Wave:
    wave = await make_wave(engine, random.Random(seed), size=2500)
    await PgSelection(engine).run(wave.wave_id, max_per_kk=2)
    return wave


async def what_if(desk: PgWhatIfDesk, wave: Wave, params: WhatIfParams, key: str) -> int:
    asked = await desk.request(wave.wave_id, params, actor="staff:analyst", client_key=key)
    assert asked.created
    outcome = await desk.run(asked.what_if_id)
    assert outcome.what_if_id == asked.what_if_id
    return asked.what_if_id


async def test_the_same_parameters_reproduce_the_real_selection_exactly(engine):
    wave = await decided_wave(engine, 61)
    before = await snapshot(engine, wave.wave_id)
    desk = PgWhatIfDesk(engine)
    wid = await what_if(desk, wave, WhatIfParams(), "same")
    cells = await stored_cells(engine, wid)
    assert cells == expected_cells(wave.inp, wave.inp)
    assert all(real == mine for _, real, mine in cells)  # every joiner has the same reason in both
    view = await desk.get(wid)
    assert view is not None and view.status is WhatIfStatus.DONE and view.same_as_real
    real_selected = sum(v.selected for v in reference(wave.inp).values())
    assert view.selected == real_selected == sum(p.in_both for p in view.provinces)
    assert all(p.only_real == p.only_what_if == 0 for p in view.provinces)
    assert all(p.real.reasons == p.what_if.reasons for p in view.provinces)
    assert await snapshot(engine, wave.wave_id) == before  # the real result untouched

    again = await desk.run(wid)  # a retried activity finds it done
    assert again.same_as_real and again.selected == real_selected


async def test_a_changed_quota_changes_the_counts_as_the_rule_says(engine):
    wave = await decided_wave(engine, 62)
    before = await snapshot(engine, wave.wave_id)
    busiest = max(wave.inp.quotas, key=lambda p: wave.inp.quotas[p] if p != "11" else -1)
    quotas = {busiest: wave.inp.quotas[busiest] + 25, "11": 0}  # one more crowded, the under-subscribed one shut
    desk = PgWhatIfDesk(engine)
    wid = await what_if(desk, wave, WhatIfParams(quotas=quotas), "quota")
    changed = dataclasses.replace(wave.inp, quotas={**wave.inp.quotas, **quotas})
    assert await stored_cells(engine, wid) == expected_cells(wave.inp, changed)

    view = await desk.get(wid)
    assert view is not None and not view.same_as_real
    rows = {p.province_code: p for p in view.provinces}
    mine = rows[busiest]
    assert mine.what_if.quota == mine.real.quota + 25 and rows["11"].what_if.quota == 0
    in_round = mine.what_if.reasons["SELECTED_PRIORITY"] + mine.what_if.reasons["SELECTED_LOTTERY"]
    assert in_round == mine.real.reasons["SELECTED_PRIORITY"] + mine.real.reasons["SELECTED_LOTTERY"] + 25
    assert rows["11"].what_if.selected < rows["11"].real.selected and rows["11"].only_real > 0
    assert mine.only_what_if >= 25 and mine.in_both + mine.only_real == mine.real.selected
    assert sum(p.what_if.selected for p in view.provinces) == view.selected
    assert await snapshot(engine, wave.wave_id) == before


async def test_cohorts_and_household_limit(engine):
    wave = await decided_wave(engine, 63)
    desk = PgWhatIfDesk(engine)
    none = await what_if(desk, wave, WhatIfParams(priority_cohorts=()), "no-priority")
    plain = dataclasses.replace(wave.inp, priority=frozenset())
    cells = await stored_cells(engine, none)
    assert cells == expected_cells(wave.inp, plain)
    assert not any(mine == "SELECTED_PRIORITY" for _, _, mine in cells)

    kept = await what_if(desk, wave, WhatIfParams(priority_cohorts=("KEMNAKER",)), "kemnaker")
    assert await stored_cells(engine, kept) == expected_cells(wave.inp, wave.inp)

    strict = await what_if(desk, wave, WhatIfParams(household_limit=1), "one-per-kk")
    tighter = dataclasses.replace(wave.inp, max_per_kk=1)
    cells = await stored_cells(engine, strict)
    assert cells == expected_cells(wave.inp, tighter)
    households = lambda side: sum(n for k, n in cells.items() if k[side] == "NOT_SELECTED_HOUSEHOLD")  # noqa: E731
    assert households(2) > households(1)


async def test_requests_are_idempotent_per_key_and_audited(engine):
    wave = await decided_wave(engine, 64)
    desk = PgWhatIfDesk(engine)
    params = WhatIfParams(quotas={"12": 3}, household_limit=1)
    first = await desk.request(wave.wave_id, params, actor="staff:a", client_key="k1")
    again = await desk.request(wave.wave_id, params, actor="staff:a", client_key="k1")
    other = await desk.request(wave.wave_id, WhatIfParams(), actor="staff:a", client_key="k1")
    someone_else = await desk.request(wave.wave_id, params, actor="staff:b", client_key="k1")
    cohorts = WhatIfParams(priority_cohorts=("KEMNAKER", "BNPB"))
    await desk.request(wave.wave_id, cohorts, actor="staff:a", client_key="k2")
    for order in (("KEMNAKER", "BNPB"), ("BNPB", "KEMNAKER")):  # a repeated request, its cohorts in any order
        repeated = await desk.request(
            wave.wave_id, WhatIfParams(priority_cohorts=order), actor="staff:a", client_key="k2"
        )
        assert repeated.same_request
    assert first.created and not again.created and again.what_if_id == first.what_if_id and again.same_request
    assert not other.created and not other.same_request
    assert someone_else.created and someone_else.what_if_id != first.what_if_id
    async with engine.connect() as conn:
        audit = (
            await conn.execute(
                text("SELECT actor, reason FROM wave_audit WHERE wave_id = :w AND action = 'WHAT_IF' ORDER BY id"),
                {"w": wave.wave_id},
            )
        ).all()
    assert [a for a, _ in audit] == ["staff:a", "staff:b", "staff:a"]
    assert f"what-if {first.what_if_id}:" in audit[0][1] and '"household_limit": 1' in audit[0][1]
    view = await desk.get(first.what_if_id)
    assert view is not None and view.status is WhatIfStatus.QUEUED and view.provinces == []
    assert view.params == params and view.household_limit == 1 and view.requested_by == "staff:a"
    await desk.fail(first.what_if_id, "boom")
    failed = await desk.get(first.what_if_id)
    assert failed is not None and failed.status is WhatIfStatus.FAILED and failed.error == "boom"
