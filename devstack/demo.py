"""``python -m devstack up --demo``: a synthetic population through the API so the console has something to show.

N people of the fake registries' population (the same seed and size the worker's fake Dukcapil uses) apply,
wait for validation, take the basic-ability test (about one in seven answers badly and fails), then staff open a
wave with quotas of about 60% of each province's joiners, everyone who passed joins, and staff close it: the
lottery selects, and the selected are enrolled. Everything goes over GraphQL with minted dev tokens, exactly like
the console; a rerun is idempotent (same request IDs and accounts) and opens another wave for those not selected.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import sys
import time
from collections import Counter
from typing import Any

import httpx2

from adapters.question_bank import FileQuestionBank
from adapters.registries.population import Person, Population, apply_input
from caseapi.shared.auth import Role, mint_token
from domain.application.registries import Registry

APPLY = """mutation A($input: ApplyInput!) { apply(input: $input) { __typename ... on Error { code message } } }"""
STAGE = "query { myCase { __typename ... on Case { stage abilityTest { status } } } }"
START = """mutation { startAbilityTest { __typename
  ... on AbilityTestSheet { attempt { number } questions { id choices } } ... on Error { code } } }"""
SUBMIT = """mutation S($input: SubmitAbilityTestInput!) { submitAbilityTest(input: $input) {
  __typename ... on AbilityTestAttempt { status } ... on Error { code } } }"""
CREATE = (
    """mutation C($input: CreateWaveInput!) { createWave(input: $input) { __typename ... on Error { message } } }"""
)
WAVE = "query W($id: ID!) { wave(id: $id) { status selectedCount } }"
JOIN = "mutation J($id: ID!) { joinWave(waveId: $id) { __typename ... on Error { code } } }"
CLOSE = """mutation X($id: ID!) { closeWave(waveId: $id, reason: "demo: enough joiners") { __typename } }"""


class Progress:
    """One line on the terminal: ``label [#####-----] done/total``."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done, self.t0 = label, total, 0, time.monotonic()
        self.draw()

    def step(self) -> None:
        self.done += 1
        if self.done == self.total or self.done % max(1, self.total // 50) == 0:  # about 50 redraws in all
            self.draw()

    def draw(self) -> None:
        filled = int(30 * self.done / max(1, self.total))
        line = f"\r{self.label:<22} [{'#' * filled}{'-' * (30 - filled)}] {self.done}/{self.total}"
        sys.stdout.write(line + (f"  {time.monotonic() - self.t0:.0f}s\n" if self.done >= self.total else ""))
        sys.stdout.flush()


def demo_people(population: Population, n: int) -> list[Person]:
    """Eligible-looking people, one per family card, spread over the provinces in population order."""
    today, seen, out = dt.date.today(), set(), []
    for p in population:
        clean = not any(p.codes(r) for r in (Registry.EDUCATION, Registry.OCCUPATION, Registry.SOCIAL_AID))
        if p.alive and clean and 19 <= p.age(today) <= 63 and p.kk_number not in seen:
            seen.add(p.kk_number)
            out.append(p)
            if len(out) == n:
                break
    return out


class Api:
    def __init__(self, http: httpx2.AsyncClient, secret: str, issuer: str) -> None:
        self.http, self.secret, self.issuer = http, secret, issuer
        self.staff = self.token(Role.STAFF, "demo-staff", provinces=["*"])

    def token(self, role: Role, subject: str, **extra: Any) -> str:
        endpoint = "staff" if role is Role.STAFF else "participant"
        return mint_token(
            secret=self.secret, issuer=self.issuer, endpoint=endpoint, subject=subject, role=role, **extra
        )

    async def gql(self, endpoint: str, query: str, variables: dict[str, Any] | None = None, *, token: str) -> Any:
        for attempt in range(6):
            resp = await self.http.post(
                f"/graphql/{endpoint}",
                json={"query": query, "variables": variables or {}},
                headers={"authorization": f"Bearer {token}"},
            )
            data = next(iter(resp.json()["data"].values()))
            if not (isinstance(data, dict) and data.get("__typename") == "TemporarilyUnavailable"):
                return data
            await asyncio.sleep(0.5 * 2**attempt)
        return data


async def participant(api: Api, person: Person, bank: Any, *, weak: bool) -> tuple[str, str | None]:
    """Apply, wait for validation, take the test; returns (token, outcome) with outcome PASSED/FAILED/stage."""
    key = hashlib.sha256(f"demo:{person.nik}".encode()).hexdigest()[:20]
    token = api.token(Role.PARTICIPANT, f"demo-{key}")
    await api.gql("participant", APPLY, {"input": apply_input(person, request_id=f"demo-{key}")}, token=token)
    deadline = time.monotonic() + 45
    while True:
        case = await api.gql("participant", STAGE, token=token)
        if case.get("stage") not in (None, "APPLIED", "VALIDATING") or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    if case.get("stage") != "ELIGIBLE":
        return token, case.get("stage") or "UNDECIDED"
    if case["abilityTest"]["status"] == "PASSED":
        return token, "PASSED"
    sheet = await api.gql("participant", START, token=token)
    if sheet["__typename"] != "AbilityTestSheet":
        return token, sheet.get("code")
    answers = [
        {
            "questionId": q["id"],
            "choice": (bank.questions[q["id"]].answer + (1 if weak and i % 2 else 0)) % len(q["choices"]),
        }
        for i, q in enumerate(sheet["questions"])
    ]
    result = await api.gql(
        "participant", SUBMIT, {"input": {"attempt": sheet["attempt"]["number"], "answers": answers}}, token=token
    )
    return token, result.get("status") or result.get("code")


async def wait_wave(api: Api, wave_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while (wave := await api.gql("staff", WAVE, {"id": wave_id}, token=api.staff))["status"] != status:
        if time.monotonic() > deadline:
            raise RuntimeError(f"wave {wave_id} did not reach {status}: {wave}")
        await asyncio.sleep(0.5)
    return wave


async def seed(base_url: str, *, participants: int, concurrency: int, secret: str, issuer: str) -> dict[str, Any]:
    t0 = time.monotonic()
    seed_, size = int(os.environ.get("POPULATION_SEED", "2020")), int(os.environ.get("POPULATION_SIZE", "50000"))
    people = demo_people(Population.generate(seed_, size), participants)
    bank = FileQuestionBank().current()
    gate = asyncio.Semaphore(concurrency)
    async with httpx2.AsyncClient(base_url=base_url, timeout=60) as http:
        api = Api(http, secret, issuer)
        bar = Progress("apply + test", len(people))

        async def one(i: int, person: Person) -> tuple[Person, str, str | None]:
            async with gate:
                token, outcome = await participant(api, person, bank, weak=i % 7 == 3)
                bar.step()
                return person, token, outcome

        results = await asyncio.gather(*(one(i, p) for i, p in enumerate(people)))
        passed = [(p, t) for p, t, o in results if o == "PASSED"]
        per_province = Counter(p.province_code for p, _ in passed)
        number = int(time.time()) % 1_000_000
        now = dt.datetime.now(dt.UTC)
        wave_input = {
            "waveId": f"DEMO{number}",
            "number": number,
            "opensAt": (now - dt.timedelta(seconds=1)).isoformat(),
            "closesAt": (now + dt.timedelta(hours=1)).isoformat(),
            "provinceQuotas": [{"provinceCode": c, "quota": max(1, round(n * 0.6))} for c, n in per_province.items()],
        }
        created = await api.gql("staff", CREATE, {"input": wave_input}, token=api.staff)
        if created["__typename"] != "Wave":
            raise RuntimeError(f"createWave: {created}")
        await wait_wave(api, wave_input["waveId"], "OPEN")
        bar = Progress("join wave", len(passed))

        async def join(token: str) -> None:
            async with gate:
                await api.gql("participant", JOIN, {"id": wave_input["waveId"]}, token=token)
                bar.step()

        await asyncio.gather(*(join(t) for _, t in passed))
        await api.gql("staff", CLOSE, {"id": wave_input["waveId"]}, token=api.staff)
        wave = await wait_wave(api, wave_input["waveId"], "ANNOUNCED")
    return {
        "participants": len(people),
        "outcomes": dict(Counter(o for _, _, o in results)),
        "wave": wave_input["waveId"],
        "selected": wave["selectedCount"],
        "seconds": round(time.monotonic() - t0, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="devstack.demo")
    parser.add_argument("--base-url", default=f"http://127.0.0.1:{os.environ.get('HTTP_PORT', '8000')}")
    parser.add_argument("--participants", type=int, default=int(os.environ.get("DEMO_PARTICIPANTS", "200")))
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    summary = asyncio.run(
        seed(
            args.base_url,
            participants=args.participants,
            concurrency=args.concurrency,
            secret=os.environ["JWT_SECRET"],
            issuer=os.environ.get("JWT_ISSUER", "prakerja-cases"),
        )
    )
    print(f"demo      {summary}", flush=True)
    print(f"console   {args.base_url}/  (dev sign-in: participant, staff or supervisor)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
