"""Course review benchmark: N course versions through the three layers (platform → PMO → assessor body) over GraphQL.

    python -m bench.course_review --courses 1000

Real processes (embedded PostgreSQL, Temporal dev server, worker.py, server.py). A provider submits N versions; the
platform approves each (DP layer), national staff approve (PMO), each version's assigned assessor body approves
(the assignment avoids the bodies that monitor the provider). Stage by stage, ``--concurrency`` requests at a
time. Prints review workflows completed per second, history events and workflow tasks per course, and the same
run's engine ceiling (bare workflows with as many workflow tasks, ``bench.noop``); checks every version approved
and its terms in the catalogue.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from typing import Any

import httpx2
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from adapters.payloads import data_converter
from bench.noop import tasks_ceiling
from bench.smoke import parse
from bench.stack import bench_stack
from caseapi.shared.auth import Role, mint_token
from domain.quality.review import review_workflow_id
from tests.integration.quality_steps import REGISTER_BODY, REVIEW, SUBMIT, version_input
from tests.integration.training_queries import REGISTER_PARTNER
from tests.integration.training_steps import Market

ASSIGNED = (
    "SELECT count(*) FROM course_versions WHERE status = 'IN_REVIEW' AND layer = 'ASSESSOR' AND due_at IS NOT NULL"
)
ASSESSOR_OF = "SELECT course_code, assessor_body FROM course_versions WHERE layer = 'ASSESSOR' AND status = 'IN_REVIEW'"
APPROVED = "SELECT count(*) FROM course_versions v JOIN courses c USING (course_code) WHERE v.status = 'APPROVED'"


class Api:
    def __init__(self, env: dict[str, str], http: httpx2.AsyncClient) -> None:
        self.env, self.http = env, http

    def token(self, role: Role, subject: str, **extra: Any) -> str:
        endpoint = "partner" if role is Role.PARTNER else "staff"
        return mint_token(
            secret=self.env["JWT_SECRET"],
            issuer=self.env.get("JWT_ISSUER", "prakerja-cases"),
            endpoint=endpoint,
            subject=subject,
            role=role,
            **extra,
        )

    async def gql(self, endpoint: str, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
        for attempt in range(20):
            resp = await self.http.post(
                f"/graphql/{endpoint}",
                json={"query": query, "variables": variables},
                headers={"authorization": f"Bearer {token}"},
            )
            body = resp.json()
            assert "errors" not in body, body
            result = next(iter(body["data"].values()))
            if result.get("__typename") != "TemporarilyUnavailable":
                return result
            await asyncio.sleep(min(0.2 * 2**attempt, 3))
        raise AssertionError(f"unavailable for good: {variables}")


async def _stage(calls: list, concurrency: int) -> list[Any]:
    sem = asyncio.Semaphore(concurrency)

    async def one(call):
        async with sem:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


async def _wait(engine: Any, query: str, n: int, limit: float = 120) -> None:
    t0 = time.perf_counter()
    while True:
        async with engine.connect() as conn:
            if await conn.scalar(text(query)) >= n or time.perf_counter() - t0 > limit:
                return
        await asyncio.sleep(0.1)


async def main(args: argparse.Namespace) -> None:
    n, tag = args.courses, uuid.uuid4().hex[:6]
    with bench_stack(population_seed=7, population_size=1000) as stack:
        client = await Client.connect(stack.temporal_address, data_converter=data_converter)
        engine = create_async_engine(stack.database_url, pool_size=5)
        limits = httpx2.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx2.AsyncClient(base_url=stack.http_url, timeout=120, limits=limits) as http:
            api = Api(stack.env, http)
            staff = api.token(Role.STAFF, "bench-pmo", provinces=["*"])
            m = Market(f"dp-{tag}", f"lpk-{tag}", f"dp2-{tag}", f"lpk2-{tag}", {})
            for code, kind in ((m.platform, "DIGITAL_PLATFORM"), (m.provider, "TRAINING_PROVIDER")):
                await api.gql("staff", REGISTER_PARTNER, {"code": code, "name": code, "type": kind}, staff)
            bodies = [f"univ-{i}-{tag}" for i in range(args.bodies)]
            for i, body in enumerate(bodies):  # the first monitors the provider: never its assessor
                monitored = [m.provider] if i == 0 else []
                await api.gql(
                    "staff",
                    REGISTER_BODY,
                    {"code": body, "assesses": True, "monitors": i == 0, "providers": monitored},
                    staff,
                )
            provider, platform = (
                api.token(Role.PARTNER, m.provider, client_code=m.provider),
                api.token(Role.PARTNER, m.platform, client_code=m.platform),
            )
            codes = [f"bench-{tag}-{i}" for i in range(n)]

            def review(endpoint: str, token: str, code: str):
                return api.gql(endpoint, REVIEW, {"code": code, "v": 1, "verdict": "APPROVE", "reasons": None}, token)

            cpu0 = {name: cpu for name, (cpu, _) in stack.usage().items()}
            t0 = time.perf_counter()
            submitted = await _stage(
                [api.gql("partner", SUBMIT, {"input": version_input(m, c)}, provider) for c in codes], args.concurrency
            )
            dp = await _stage([review("partner", platform, c) for c in codes], args.concurrency)
            pmo = await _stage([review("staff", staff, c) for c in codes], args.concurrency)
            await _wait(engine, ASSIGNED, n)
            async with engine.connect() as conn:
                assigned = dict((await conn.execute(text(ASSESSOR_OF))).all())
            tokens = {b: api.token(Role.ASSESSOR, f"assessor-{b}", body=b) for b in bodies}
            final = await _stage(
                [review("staff", tokens[assigned[c]], c) for c in codes if c in assigned], args.concurrency
            )
            await _wait(engine, APPROVED, n)
            wall = time.perf_counter() - t0
            cpu = {name: (used - cpu0[name]) / n for name, (used, _) in stack.usage().items()}
            async with engine.connect() as conn:
                approved = await conn.scalar(text(APPROVED))
        sample = codes[: min(20, n)]
        events = tasks = 0
        for c in sample:
            history = await client.get_workflow_handle(review_workflow_id(c, 1)).fetch_history()
            events += len(history.events)
            tasks += sum(e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED for e in history.events)
        per_events, per_tasks = events / len(sample), max(1, round(tasks / len(sample)))
        ceiling_n = min(max(16, n // 4), 300)
        ceiling = await tasks_ceiling(client, count=ceiling_n, tasks=per_tasks)
        await engine.dispose()
    refused = [r for r in (*submitted, *dp, *pmo, *final) if r.get("__typename") != "CourseVersion"]
    used = set(assigned.values())
    print(f"courses {n}, assessor bodies {len(bodies)} (one monitors the provider), concurrency {args.concurrency}")
    print(f"{n} versions through DP, PMO and assessor in {wall:.1f} s  -> {n / wall:.1f} review workflows/s")
    print(f"history per course: {per_events:.1f} events, {per_tasks} workflow tasks")
    print("CPU per course (core-ms): " + ", ".join(f"{k} {1000 * v:.0f}" for k, v in cpu.items()))
    print(
        f"engine ceiling, same run: {ceiling:.1f} bare workflows/s of {per_tasks} workflow tasks each "
        f"-> the review reaches {100 * n / wall / ceiling:.1f}% of it"
    )
    if refused or approved < n or bodies[0] in used:
        raise SystemExit(f"CHECK FAILED: refused {refused[:3]}, approved {approved}/{n}, conflicted body used")
    print(f"OK: {approved} versions approved and in the catalogue; the monitoring body assessed none")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.course_review")
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--bodies", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=32)
    asyncio.run(main(parse(parser, courses=6)))
