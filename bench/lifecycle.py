"""The lifecycle benchmark: N synthetic participants through the whole programme over the GraphQL API.

    python -m bench.lifecycle                      # 2,000 participants, ~15 minutes on 2 cores
    python -m bench.lifecycle --participants 400   # ~5 minutes

Real processes (embedded PostgreSQL, Temporal dev server, worker.py, server.py) under the ``LOADTEST_2023``
scheme (the 2023+ rules; the waits a load test cannot sit through are shortened one by one in the scheme's
configuration). Per participant, over HTTP: apply, the basic-ability test, validation, join the wave; staff
close it and the lottery selects everyone; enrollment; OTP + purchase on the platform; redeem, completion,
confirmation, staff verification; rating; account linking (at the fake payment partner); the job-search
incentive and two surveys paid; job recommendations. After selection each participant's phone watches its live
status (the ``myCaseStatus`` subscription) instead of polling. Prints lifecycles/s, p50/p99 per operation,
workflow history events per participant, and checks that every participant was paid exactly the package once.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
import uuid
from collections import Counter, defaultdict
from typing import Any

import httpx2
import uvloop
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from adapters.payloads import data_converter
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.registries.population import Population
from bench.figures import marker_name, pct, sdk_latencies
from bench.http_shim import Shim
from bench.live_status import STATUS, LiveStatus
from bench.noop import tasks_ceiling
from bench.settlement import Settlement, worker_env
from bench.smoke import parse
from bench.stack import bench_stack, free_port, machine_ticks
from caseapi.shared.auth import Role
from domain.payouts.tranches import Provider
from tests.integration.helpers import clean_people
from tests.integration.job_queries import RECOMMENDATIONS, UPSERT_VACANCY
from tests.integration.payout_queries import LINK
from tests.integration.queries import CLOSE_WAVE, JOIN_WAVE
from tests.integration.training_queries import RATE
from tests.integration.training_steps import certified, market, register
from tests.integration.wave_steps import create_wave, ready, wait_wave

SCHEME = "LOADTEST_2023"
ANSWER = """
mutation A($n: Int!) { answerSurvey(number: $n, employment: EMPLOYED) { __typename ... on Error { code message } } }"""


def _survey_or_paid(answered: set[int]) -> Any:
    """A survey to answer has opened, or every tranche is paid."""

    def ready(status: dict[str, Any]) -> bool:
        tranches = status.get("incentives") or []
        due = any(t["status"] == "SURVEY_OPEN" and t["number"] not in answered for t in tranches)
        return due or (bool(tranches) and all(t["status"] == "PAID" for t in tranches))

    return ready


async def lifecycle(shim: Shim, m: Any, partner: FakePaymentPartner, person: Any, token: str) -> str:
    """From selection to job recommendations, watching the live status; returns the case ID once every incentive
    is paid."""
    async with LiveStatus(shim, token) as live:
        # Thousands selected at once are enrolled as the wave's result reaches each of them: minutes, not seconds.
        status = await live.until(lambda s: s["stage"] == "ENROLLED", within=900)
        voucher = await certified(shim, m, token)
        await shim.gql("participant", RATE, {"v": voucher, "s": 5, "r": "bermanfaat"}, token=token)
        wallet = f"08{int(uuid.uuid4().hex[:10], 16) % 10**10:010d}"
        await partner.open_account(Provider.DANA, wallet, person.nik, person.full_name)
        linked = (await shim.gql("participant", LINK, {"p": "DANA", "n": wallet}, token=token))["linkPayoutAccount"]
        assert linked["__typename"] == "PayoutAccount", linked
        answered: set[int] = set()
        deadline = time.monotonic() + 180
        while not all(t["status"] == "PAID" for t in status.get("incentives") or [{"status": None}]):
            status = await live.until(_survey_or_paid(answered), within=deadline - time.monotonic())
            for t in status["incentives"]:
                if t["status"] == "SURVEY_OPEN" and t["number"] not in answered:
                    await shim.gql("participant", ANSWER, {"n": t["number"]}, token=token)
                    answered.add(t["number"])
    recs = (await shim.gql("participant", RECOMMENDATIONS, {"first": 10}, token=token))["myJobRecommendations"]
    assert recs["__typename"] == "JobRecommendations" and recs["items"], recs
    return str(status.get("caseId") or status.get("id"))


async def _vacancies(shim: Shim, provinces: set[str]) -> None:
    portal = f"jp-{uuid.uuid4().hex[:6]}"
    await register(shim, portal, "JOB_PORTAL")
    today = dt.date.today()
    for i, province in enumerate(sorted(provinces)):
        inp = {
            "vacancyId": f"V{i}", "title": "Digital marketing staff", "category": "Digital Marketing",
            "provinceCode": province, "employer": "PT Contoh", "postedOn": today.isoformat(),
            "expiresOn": (today + dt.timedelta(days=30)).isoformat(), "url": f"https://jobs.example.id/{i}",
        }  # fmt: skip
        token = shim.token(Role.PARTNER, subject=portal, client_code=portal)
        done = (await shim.gql("partner", UPSERT_VACANCY, {"input": inp}, token=token))["upsertVacancy"]
        assert done["__typename"] == "Vacancy", done


async def _limited(coros: list[Any], limit: int) -> list[Any]:
    sem = asyncio.Semaphore(limit)

    async def run(c: Any) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(run(c) for c in coros))


async def prepare(shim: Shim, people: list[Any]) -> Any:
    """The catalogue (a platform, a provider, a course) and a vacancy in every participant's province."""
    m = await market(shim)
    await _vacancies(shim, {p.province_code for p in people})
    return m


async def select_everyone(shim: Shim, people: list[Any], apply_concurrency: int) -> list[str]:
    """A wave with a seat for each; everyone applies, passes the test, joins; staff close it; all selected."""
    quotas: dict[str, int] = defaultdict(int)
    for p in people:
        quotas[p.province_code] += 1
    wave_id = await create_wave(shim, dict(quotas), minutes=60)
    await wait_wave(shim, wave_id, "OPEN")

    async def joined(person: Any) -> str:
        """Apply and take the test (validation runs meanwhile); once eligible, join the wave."""
        token = await ready(shim, person)
        deadline = time.monotonic() + 120
        while (await shim.gql("participant", STATUS, token=token))["myCase"].get("stage") != "ELIGIBLE":
            if time.monotonic() > deadline:
                raise RuntimeError("not eligible in time")
            await asyncio.sleep(0.5)
        answer = (await shim.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]
        assert answer["__typename"] == "WaveHistoryEntry", answer
        return token

    tokens = await _limited([joined(p) for p in people], apply_concurrency)
    staff = shim.token(Role.STAFF)
    await shim.gql("staff", CLOSE_WAVE, {"id": wave_id, "reason": "lifecycle run"}, token=staff)
    await wait_wave(shim, wave_id, "ANNOUNCED", within=120)  # a worker may die during the fan-out (drills)
    return tokens


async def main(args: argparse.Namespace) -> None:
    population = Population.generate(args.seed, args.population)
    people = clean_people(population)[: args.participants]
    metrics = f"127.0.0.1:{free_port()}"  # the worker's Temporal SDK metrics, read at the end of the run
    env = {"PROGRAMME_SCHEME": SCHEME, "FAKE_PAYMENT_FAILURE_RATE": "0.004", "METRICS_BIND": metrics}
    settlement = Settlement(args.async_settlement)
    env |= worker_env(args.async_settlement)
    with bench_stack(population_seed=args.seed, population_size=args.population, extra_env=env) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=10, max_overflow=10)
        partner = FakePaymentPartner(engine, latency=(0, 0))
        await partner.ensure_schema()
        limits = httpx2.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx2.AsyncClient(base_url=stack.http_url, timeout=120, limits=limits) as http:
            shim = Shim(stack.env, http, engine, population, connections=args.concurrency)
            m = await prepare(shim, people)
            cpu0 = {name: cpu for name, (cpu, _) in stack.usage().items()}
            ticks0 = machine_ticks()
            t0 = time.perf_counter()
            tokens = await select_everyone(shim, people, args.apply_concurrency)
            t_selected = time.perf_counter()
            ticks_selected = machine_ticks()
            async with settlement.running(shim, engine, (Provider.DANA,)):
                cases = await _limited(
                    [lifecycle(shim, m, partner, p, t) for p, t in zip(people, tokens, strict=True)], args.concurrency
                )
            wall = time.perf_counter() - t0
            await shim.poster.aclose()
            used = stack.usage()
            ticks = {k: v - ticks0[k] for k, v in machine_ticks().items()}
            waits = sdk_latencies((await http.get(f"http://{metrics}/metrics")).text)
        async with engine.connect() as conn:
            paid = dict((await conn.execute(text(
                "SELECT case_id, sum(amount) FROM payments WHERE status = 'PAID' GROUP BY 1"))).all())  # fmt: skip
            doubles = await conn.scalar(text(
                "SELECT count(*) FROM (SELECT tranche_key FROM payments WHERE status = 'PAID' GROUP BY 1"
                " HAVING count(*) > 1) d"))  # fmt: skip
        events, tasks = [], []
        kinds: Counter[str] = Counter()
        markers: Counter[str] = Counter()
        for case_id in cases[: min(20, len(cases))]:
            n_events = n_tasks = 0
            async for r in client.list_workflows(f'WorkflowId = "participant-{case_id}"'):
                history = await client.get_workflow_handle(r.id, run_id=r.run_id).fetch_history()
                n_events += len(history.events)
                kinds.update(EventType.Name(e.event_type).removeprefix("EVENT_TYPE_") for e in history.events)
                markers.update(
                    marker_name(e) for e in history.events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
                )
                n_tasks += sum(e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED for e in history.events)
            events.append(n_events)
            tasks.append(n_tasks)
        per_case_tasks = round(sum(tasks) / max(1, len(tasks)))
        # The same run's engine ceiling: bare workflows with as many workflow tasks, on the same server.
        before = stack.usage()
        ceiling_n = args.ceiling or min(max(128, len(cases) // 2), 300)
        ceiling = await tasks_ceiling(client, count=ceiling_n, tasks=per_case_tasks)
        ceiling_cpu = {k: (cpu - before[k][0]) / ceiling_n for k, (cpu, _) in stack.usage().items()}
        await engine.dispose()
    n = len(cases)
    print(f"participants {n}, concurrency {args.concurrency}, scheme {SCHEME}")
    print(settlement.summary())
    print(f"whole lifecycle in {wall:.1f} s -> {n / wall:.2f} lifecycles/s "
          f"(apply..selection {t_selected - t0:.1f} s, enrollment..jobs {wall - (t_selected - t0):.1f} s)")  # fmt: skip
    print(f"history events per participant (sample of {min(20, n)}, all runs): {sum(events) / max(1, min(20, n)):.0f}")
    print(f"workflow tasks per participant: {per_case_tasks}")
    sample = max(1, min(20, n))
    print("events by type per participant:", ", ".join(f"{k} {v / sample:.1f}" for k, v in kinds.most_common()))
    print("local activities per participant:", ", ".join(f"{k} {v / sample:.1f}" for k, v in markers.most_common()))
    print(
        f"engine ceiling, same run: {ceiling:.2f} bare workflows/s of {per_case_tasks} workflow tasks each "
        f"-> the lifecycle reaches {100 * n / wall / ceiling:.1f}% of it"
    )
    print(
        "engine ceiling, CPU per bare workflow: "
        + ", ".join(f"{k} {v:.2f}" for k, v in ceiling_cpu.items() if v >= 0.005)
        + f" (the client process runs its worker): {sum(ceiling_cpu.values()):.2f} core-s"
    )
    for name, (cpu, rss) in used.items():
        busy = cpu - cpu0[name]
        print(
            f"{name:<9} CPU {busy:7.1f} s ({100 * busy / wall:4.0f}% of one core, {busy / n:.2f} core-s per "
            f"lifecycle), peak RSS {rss} MiB"
        )
    total = sum(cpu - cpu0[name] for name, (cpu, _) in used.items())
    print(
        f"all       CPU {total:7.1f} s ({100 * total / wall:4.0f}% of one core, {total / n:.2f} core-s per lifecycle)"
    )
    for phase, used_ticks in (
        ("whole run", ticks),
        ("apply..selection", {k: ticks_selected[k] - ticks0[k] for k in ticks}),
        ("enrollment..jobs", {k: ticks[k] - ticks_selected[k] + ticks0[k] for k in ticks}),
    ):
        share = {k: 100 * v / max(1, sum(used_ticks.values())) for k, v in used_ticks.items()}
        busy, idle, steal = (round(share[k]) for k in ("busy", "idle", "steal"))
        print(f"machine, {phase}: busy {busy}%, idle {idle}%, stolen by the hypervisor {steal}%")
    print(f"{'operation':<26}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}")
    for name, lat in sorted(shim.latencies.items()):
        print(f"{name:<26}{len(lat):>7}{pct(lat, 0.5):>9.0f}{pct(lat, 0.99):>9.0f}")
    print("worker (Temporal SDK metrics, mean ms):", ", ".join(f"{k} {v:.0f}" for k, v in waits.items()))
    print(f"answers 'temporarily unavailable' retried by the client: {dict(shim.retries) or 'none'}")
    print(f"live status per participant: {', '.join(f'{k} {v / n:.1f}' for k, v in shim.live.items())}")
    wrong = [c for c in cases if paid.get(c) != 700_000]
    if wrong or doubles:
        raise SystemExit(f"CHECK FAILED: {len(wrong)} cases not paid exactly Rp700,000; {doubles} tranches paid twice")
    print(f"OK: {n} participants paid exactly Rp700,000 each, no tranche paid twice")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.lifecycle")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=80)
    parser.add_argument("--apply-concurrency", type=int, default=40)
    parser.add_argument("--population", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ceiling", type=int, default=None, help="bare workflows in the ceiling (n/2, 128-300)")
    parser.add_argument("--async-settlement", action="store_true", help="the partner settles transfers later")
    smoke = {"participants": 6, "concurrency": 6, "apply_concurrency": 6, "population": 2000, "ceiling": 8}
    uvloop.run(main(parse(parser, **smoke)))  # the client's own CPU, on this box, is the lifecycle's too
