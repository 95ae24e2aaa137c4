"""Steps shared by tests that need participants in (or through) a wave."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time

from adapters.question_bank import FileQuestionBank
from caseapi.shared.auth import Role
from tests.integration.helpers import apply_person, clean_people
from tests.integration.queries import CLOSE_WAVE, CREATE_WAVE, JOIN_WAVE, STAFF_WAVE, START_TEST, SUBMIT_TEST

BANK = FileQuestionBank().current()
_claimed = [0]


def _claim(n: int) -> int:
    """The first index of ``n`` people of the home province no other call has taken (wave tests use the first
    100; calls take exactly what they need, so the province's few thousand clean people last the whole suite)."""
    start = 100 + _claimed[0]
    _claimed[0] += n
    return start



def people_in(stack, province: str, n: int, *, skip: int = 0):
    found = [p for p in clean_people(stack.population) if p.province_code == province]
    return found[skip : skip + n]


async def ready(stack, person) -> str:
    """Applied, eligible and passed the test: ready to join a wave."""
    _, token = await apply_person(stack, person)
    sheet = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    answers = [{"questionId": q["id"], "choice": BANK.questions[q["id"]].answer} for q in sheet["questions"]]
    result = await stack.gql("participant", SUBMIT_TEST, {"input": {"attempt": 1, "answers": answers}}, token=token)
    assert result["submitAbilityTest"]["status"] == "PASSED"
    return token


async def create_wave(stack, quotas: dict[str, int], *, minutes: int = 30, opens_in: float = -1) -> str:
    number = random.randrange(10_000, 10**9)
    now = dt.datetime.now(dt.UTC)
    inp = {
        "waveId": f"G{number}",
        "number": number,
        "opensAt": (now + dt.timedelta(seconds=opens_in)).isoformat(),
        "closesAt": (now + dt.timedelta(minutes=minutes)).isoformat(),
        "provinceQuotas": [{"provinceCode": p, "quota": q} for p, q in quotas.items()],
    }
    wave = (await stack.gql("staff", CREATE_WAVE, {"input": inp}, token=stack.token(Role.STAFF)))["createWave"]
    assert wave["__typename"] == "Wave", wave
    return wave["id"]


async def wait_wave(stack, wave_id: str, status: str, within: float = 30) -> dict:
    async def current() -> dict:
        return (await stack.gql("staff", STAFF_WAVE, {"id": wave_id}, token=stack.token(Role.STAFF)))["wave"]

    deadline = time.monotonic() + within
    while (wave := await current())["status"] != status:
        assert time.monotonic() < deadline, wave
        await asyncio.sleep(0.2)
    return wave


def province_with(stack, n: int) -> str:
    counts: dict[str, int] = {}
    for p in clean_people(stack.population):
        counts[p.province_code] = counts.get(p.province_code, 0) + 1
    return sorted((c, p) for p, c in counts.items() if c >= n)[-1][1]


async def selected_participants(stack, n: int) -> list[str]:
    """Tokens of ``n`` participants selected in a fresh wave (their workflows then enroll them)."""
    home = province_with(stack, 1000)
    start = _claim(n)
    people = [p for p in clean_people(stack.population) if p.province_code == home][start : start + n]
    assert len(people) == n, f"the synthetic population has too few clean people in province {home}"
    tokens = [await ready(stack, p) for p in people]
    wave_id = await create_wave(stack, {home: n})
    await wait_wave(stack, wave_id, "OPEN")
    for token in tokens:
        joined = (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]
        assert joined["__typename"] == "WaveHistoryEntry", joined
    staff = stack.token(Role.STAFF)
    closed = await stack.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "enough joiners for the test"}, token=staff)
    assert closed["closeWave"]["__typename"] == "Wave", closed
    await wait_wave(stack, wave_id, "ANNOUNCED")
    return tokens
