"""What-if through the staff API: started by a mutation (idempotent, typed refusals), run by its workflow on the
worker, polled by a query; both selections side by side in the caller's province scope; the real result untouched."""

from __future__ import annotations

import asyncio
import random
import time
import uuid

from sqlalchemy import select

from adapters.db.selection import PgSelection
from adapters.db.tables import wave_results, waves
from caseapi.shared.auth import Role
from tests.integration.wave_steps import create_wave, wait_wave
from tests.selection.test_sql import make_wave
from tests.workflows.test_replay import replay_and_maybe_record

SIDE = "quota selected excluded reasons { reason joiners }"
COMPARISON = f"provinceCode provinceName joined inBoth onlyReal onlyWhatIf real {{ {SIDE} }} whatIf {{ {SIDE} }}"
WHAT_IF = f"""
  id waveId status requestedBy householdLimit priorityCohorts sameAsReal seconds error
  quotaChanges {{ provinceCode real whatIf }}
  total {{ {COMPARISON} }}
  provinces {{ {COMPARISON} }}
"""
START = f"""
mutation Start($input: WhatIfInput!) {{
  startWhatIf(input: $input) {{ __typename ... on WhatIf {{ {WHAT_IF} }} ... on Error {{ code message }} }}
}}"""
READ = f"""
query Read($id: ID!) {{ whatIf(id: $id) {{ __typename ... on WhatIf {{ {WHAT_IF} }} ... on Error {{ code message }} }} }}"""

LIST = "query List($w: ID!) { whatIfs(waveId: $w) { id status sameAsReal } }"


async def decided_wave(stack, seed: int):
    wave = await make_wave(stack.engine, random.Random(seed), size=1500)
    await PgSelection(stack.engine).run(wave.wave_id, max_per_kk=2)
    return wave


async def start(stack, token: str, wave_id: str, key: str | None = None, **params) -> dict:
    inp = {"waveId": wave_id, "clientKey": key or uuid.uuid4().hex, **params}
    return (await stack.gql("staff", START, {"input": inp}, token=token))["startWhatIf"]


async def done(stack, token: str, what_if_id: str, within: float = 60) -> dict:
    deadline = time.monotonic() + within
    while (found := (await stack.gql("staff", READ, {"id": what_if_id}, token=token))["whatIf"])["status"] in (
        "QUEUED",
        "RUNNING",
    ):
        assert time.monotonic() < deadline, found
        await asyncio.sleep(0.2)
    return found


def in_round(side: dict) -> int:
    """Selected in the provincial round (the national pool may then take others)."""
    return sum(r["joiners"] for r in side["reasons"] if r["reason"] in ("SELECTED_PRIORITY", "SELECTED_LOTTERY"))


async def real_result(stack, wave_id: str) -> tuple:
    async with stack.engine.connect() as conn:
        rows = (await conn.execute(select(wave_results).where(wave_results.c.wave_id == wave_id))).all()
        wave = (await conn.execute(select(waves).where(waves.c.wave_id == wave_id))).one()
    return sorted(rows), wave


async def test_a_what_if_runs_beside_the_real_result(stack):
    wave = await decided_wave(stack, 71)
    before = await real_result(stack, wave.wave_id)
    staff = stack.token(Role.STAFF, subject="analyst-1")

    started = await start(stack, staff, wave.wave_id, key="same-as-real")
    assert started["__typename"] == "WhatIf" and started["status"] in ("QUEUED", "RUNNING", "DONE"), started
    same = await done(stack, staff, started["id"])
    assert same["status"] == "DONE" and same["sameAsReal"] is True and same["requestedBy"] == "staff:analyst-1"
    assert same["householdLimit"] == 2 and same["priorityCohorts"] is None and same["quotaChanges"] == []
    total = same["total"]
    assert total["onlyReal"] == total["onlyWhatIf"] == 0 and total["inBoth"] == total["real"]["selected"] > 0
    assert total["joined"] == len(wave.inp.joiners) and total["real"] == total["whatIf"]
    again = await start(stack, staff, wave.wave_id, key="same-as-real")
    assert again["id"] == same["id"] and again["status"] == "DONE"  # the same key: the same what-if, not run twice

    busiest = max(wave.inp.quotas, key=lambda p: wave.inp.quotas[p] if p != "11" else -1)
    more = {"provinceQuotas": [{"provinceCode": busiest, "quota": wave.inp.quotas[busiest] + 10}]}
    changed = await done(stack, staff, (await start(stack, staff, wave.wave_id, **more))["id"])
    assert changed["sameAsReal"] is False
    assert changed["quotaChanges"] == [
        {"provinceCode": busiest, "real": wave.inp.quotas[busiest], "whatIf": wave.inp.quotas[busiest] + 10}
    ]
    row = next(p for p in changed["provinces"] if p["provinceCode"] == busiest)
    assert in_round(row["whatIf"]) == in_round(row["real"]) + 10 and row["onlyWhatIf"] >= 1
    assert changed["total"]["whatIf"]["selected"] == changed["total"]["real"]["selected"] + 10

    listed = (await stack.gql("staff", LIST, {"w": wave.wave_id}, token=staff))["whatIfs"]
    assert [w["id"] for w in listed] == [changed["id"], same["id"]]  # newest first
    assert (await stack.gql("staff", LIST, {"w": wave.wave_id}, token=stack.token(Role.PARTNER)))["whatIfs"] == []

    reused = await start(stack, staff, wave.wave_id, key="same-as-real", householdLimit=1)
    assert reused["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await real_result(stack, wave.wave_id) == before
    await replay_and_maybe_record(stack.client, f"whatif-{changed['id']}", "what_if")


async def test_refusals_are_typed(stack):
    staff = stack.token(Role.STAFF)
    decided = await decided_wave(stack, 72)
    undecided = await make_wave(stack.engine, random.Random(73), size=50)  # closed, its lottery not run
    open_wave = await create_wave(stack, {"31": 5})
    await wait_wave(stack, open_wave, "OPEN")

    assert (await start(stack, staff, "G-NOPE"))["code"] == "WAVE_NOT_FOUND"
    assert (await start(stack, staff, open_wave))["__typename"] == "WaveNotClosed"
    assert (await start(stack, staff, undecided.wave_id))["__typename"] == "SeedNotRevealed"
    bad = [
        {"provinceQuotas": [{"provinceCode": "99", "quota": 5}]},
        {"provinceQuotas": [{"provinceCode": "31", "quota": -1}]},
        {"provinceQuotas": [{"provinceCode": "31", "quota": 1}, {"provinceCode": "31", "quota": 2}]},
        {"householdLimit": 0},
        {"priorityCohorts": ["NO_SUCH_COHORT"]},
    ]
    for params in bad:
        refused = await start(stack, staff, decided.wave_id, **params)
        assert refused["__typename"] == "InvalidArgument" and refused["code"] == "INVALID_ARGUMENT", params
    assert (await start(stack, staff, decided.wave_id, key=" "))["code"] == "INVALID_ARGUMENT"
    missing = (await stack.gql("staff", READ, {"id": "987654321987"}, token=staff))["whatIf"]
    assert missing["__typename"] == "WhatIfNotFound"
    for wrong in ("x", "²", "9" * 19):
        assert (await stack.gql("staff", READ, {"id": wrong}, token=staff))["whatIf"]["code"] == "WHAT_IF_NOT_FOUND"


async def test_who_may_run_and_see_what(stack):
    wave = await decided_wave(stack, 74)
    mine, other = sorted(wave.inp.quotas)[1:3]
    scoped = stack.token(Role.STAFF, provinces=[mine])
    assert (await start(stack, None, wave.wave_id))["code"] == "UNAUTHENTICATED"  # type: ignore[arg-type]
    partner = stack.token(Role.PARTNER)
    assert (await start(stack, partner, wave.wave_id))["code"] == "UNAUTHENTICATED"  # another endpoint's token
    elsewhere = {"provinceQuotas": [{"provinceCode": other, "quota": 1}]}
    assert (await start(stack, scoped, wave.wave_id, **elsewhere))["__typename"] == "Forbidden"

    own = {"provinceQuotas": [{"provinceCode": mine, "quota": 0}]}
    result = await done(stack, scoped, (await start(stack, scoped, wave.wave_id, **own))["id"])
    assert [p["provinceCode"] for p in result["provinces"]] == [mine]
    assert in_round(result["provinces"][0]["whatIf"]) == 0  # quota 0: only the national pool may still pick some
    assert result["total"] == result["provinces"][0] | {"provinceCode": None, "provinceName": None}
    national = (await stack.gql("staff", READ, {"id": result["id"]}, token=stack.token(Role.STAFF)))["whatIf"]
    assert len(national["provinces"]) > 1 and national["total"]["joined"] == len(wave.inp.joiners)
    supervisor = stack.token(Role.SUPERVISOR)
    assert (await stack.gql("staff", READ, {"id": result["id"]}, token=supervisor))["whatIf"]["__typename"] == "WhatIf"
