"""``funnel(waveId, provinceCode)``: cases per programme step, per wave and province, within the staff scope."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from caseapi.shared.auth import Role
from tests.integration.helpers import clean_people
from tests.integration.queries import CLOSE_WAVE, JOIN_WAVE
from tests.integration.wave_steps import create_wave, province_with, ready, wait_wave

FUNNEL = """
query F($wave: ID, $province: String) {
  funnel(waveId: $wave, provinceCode: $province) {
    __typename ... on Funnel { waveId provinceCode steps { step count } } ... on Error { code }
  }
}"""


def counts(result: dict[str, Any]) -> dict[str, int]:
    return {s["step"]: s["count"] for s in result["steps"]}


async def test_funnel_of_a_wave_and_its_scope(stack: Any) -> None:
    home = province_with(stack, 1000)
    # Wave tests take this province's first people and selected_participants() from index 100: use 60 and 61.
    clean = [p for p in clean_people(stack.population) if p.province_code == home][60:62]
    tokens = [await ready(stack, p) for p in clean]
    wave_id = await create_wave(stack, {home: 1})
    await wait_wave(stack, wave_id, "OPEN")
    for token in tokens:
        joined = (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]
        assert joined["__typename"] == "WaveHistoryEntry", joined
    staff = stack.token(Role.STAFF)
    await stack.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "funnel test"}, token=staff)
    await wait_wave(stack, wave_id, "ANNOUNCED")

    # ANNOUNCED comes before every participant's workflow has projected its result into the read model.
    deadline = time.monotonic() + 30
    while True:
        got = counts((await stack.gql("staff", FUNNEL, {"wave": wave_id}, token=staff))["funnel"])
        if got["SELECTED"] == 1 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert list(got) == ["REGISTERED", "VALIDATED", "ELIGIBLE", "JOINED", "SELECTED", "ENROLLED",
                         "FIRST_PURCHASE", "COMPLETED", "PAID"]  # fmt: skip
    assert (got["REGISTERED"], got["ELIGIBLE"], got["JOINED"], got["SELECTED"]) == (2, 2, 2, 1)
    assert got["FIRST_PURCHASE"] == got["PAID"] == 0

    province = counts((await stack.gql("staff", FUNNEL, {"province": home}, token=staff))["funnel"])
    assert province["REGISTERED"] >= 2 and province["SELECTED"] >= 1
    assert all(a >= b for a, b in zip(list(province.values())[:5], list(province.values())[1:5], strict=False))

    other = "11" if home != "11" else "12"
    scoped = stack.token(Role.STAFF, provinces=[other])
    refused = (await stack.gql("staff", FUNNEL, {"wave": wave_id, "province": home}, token=scoped))["funnel"]
    assert refused == {"__typename": "Forbidden", "code": "FORBIDDEN"}
    mine = (await stack.gql("staff", FUNNEL, {"wave": wave_id}, token=scoped))["funnel"]  # only their provinces
    assert counts(mine)["REGISTERED"] == 0
    missing = (await stack.gql("staff", FUNNEL, {"wave": "G-NO-SUCH"}, token=staff))["funnel"]
    assert missing["code"] == "WAVE_NOT_FOUND"
