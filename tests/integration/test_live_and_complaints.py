"""Complaints from the participant's case to the staff queue (SLA, assign, answer, close, scoping, audit), and live
updates over graphql-transport-ws fed by LISTEN/NOTIFY: a status change reaches the participant and the
province's staff within a second; another province's staff hear nothing."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import time
import uuid

import uvicorn
import websockets

from caseapi.shared.auth import Role
from domain.payouts.tranches import Tranche, TrancheStatus
from tests.conftest import free_port
from tests.integration.payout_queries import mark_and_approve
from tests.integration.training_steps import enrolled

FILE = """
mutation F($c: ComplaintCategory!, $t: String!, $r: String!) {
  fileComplaint(category: $c, text: $t, requestId: $r) {
    __typename ... on Complaint { id status overdue slaDueAt answer } ... on Error { code message }
  }
}"""
QUEUE = "query Q($o: Boolean!) { complaints(overdueOnly: $o) { ... on ComplaintQueue { items { id status caseId } } } }"
ASSIGN = "mutation A($id: ID!) { assignComplaint(id: $id) { __typename ... on Complaint { status assignedTo } ... on Error { code } } }"
ANSWER = """
mutation A($id: ID!, $a: String!) {
  answerComplaint(id: $id, answer: $a) { __typename ... on Complaint { status answer } ... on Error { code message } }
}"""
CLOSE = (
    "mutation C($id: ID!) { closeComplaint(id: $id) { __typename ... on Complaint { status } ... on Error { code } } }"
)
MINE = "query { myCase { ... on Case { complaints { id status answer } } } }"


async def test_a_complaint_from_filing_to_the_participant_reading_the_answer(stack):
    [(token, case)] = await enrolled(stack, 1)
    rid = uuid.uuid4().hex
    args = {"c": "CARD", "t": "My card balance is not shown on the platform.", "r": rid}
    filed = (await stack.gql("participant", FILE, args, token=token))["fileComplaint"]
    assert filed["status"] == "OPEN" and not filed["overdue"]
    again = (await stack.gql("participant", FILE, args, token=token))["fileComplaint"]
    assert again["id"] == filed["id"]  # a retried filing
    short = await stack.gql("participant", FILE, {**args, "t": "bad", "r": uuid.uuid4().hex}, token=token)
    assert short["fileComplaint"]["code"] == "INVALID_ARGUMENT"

    staff = stack.token(Role.STAFF, subject="cs-1")
    queue = (await stack.gql("staff", QUEUE, {"o": False}, token=staff))["complaints"]["items"]
    assert filed["id"] in [c["id"] for c in queue]
    elsewhere = stack.token(Role.STAFF, subject="cs-9", provinces=["99"])
    assert filed["id"] not in [c["id"] for c in (await stack.gql("staff", QUEUE, {"o": False}, token=elsewhere))[
        "complaints"]["items"]]  # fmt: skip
    hidden = await stack.gql("staff", ASSIGN, {"id": filed["id"]}, token=elsewhere)
    assert hidden["assignComplaint"]["code"] == "INVALID_ARGUMENT"
    took = (await stack.gql("staff", ASSIGN, {"id": filed["id"]}, token=staff))["assignComplaint"]
    assert took == {"__typename": "Complaint", "status": "ASSIGNED", "assignedTo": "cs-1"}
    early = (await stack.gql("staff", CLOSE, {"id": filed["id"]}, token=staff))["closeComplaint"]
    assert early["code"] == "INVALID_ARGUMENT"  # answer first
    answer = "The platform showed a cached balance; it is fixed now."
    answered = (await stack.gql("staff", ANSWER, {"id": filed["id"], "a": answer}, token=staff))["answerComplaint"]
    assert answered["status"] == "ANSWERED"
    seen = (await stack.gql("participant", MINE, token=token))["myCase"]["complaints"]
    assert seen == [{"id": filed["id"], "status": "ANSWERED", "answer": answer}]
    closed = (await stack.gql("staff", CLOSE, {"id": filed["id"]}, token=staff))["closeComplaint"]
    assert closed["status"] == "CLOSED"
    async with stack.engine.connect() as conn:
        from sqlalchemy import text

        actions = (
            (await conn.execute(text("SELECT action FROM audit_log WHERE case_id = :c ORDER BY id"), {"c": case["id"]}))
            .scalars()
            .all()
        )
    assert actions == ["COMPLAINT_ASSIGNED", "COMPLAINT_ANSWERED", "COMPLAINT_CLOSED"]


@contextlib.asynccontextmanager
async def served(app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # up to 10 s
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def subscription(port: int, endpoint: str, token: str, query: str):
    uri = f"ws://127.0.0.1:{port}/graphql/{endpoint}"
    async with websockets.connect(uri, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        yield ws


async def next_data(ws, seconds: float = 5.0) -> dict:
    message = json.loads(await asyncio.wait_for(ws.recv(), seconds))
    assert message["type"] == "next", message
    return next(iter(message["payload"]["data"].values()))


MY_STATUS = "subscription { myCaseStatus { __typename ... on CaseStatusUpdate { caseId stage version } } }"
STAFF_STATUS = "subscription { caseStatusChanges { __typename ... on CaseStatusUpdate { caseId stage } } }"


async def test_a_status_change_reaches_the_participant_and_scoped_staff_within_a_second(stack):
    [(token, case)] = await enrolled(stack, 1)
    national = stack.token(Role.STAFF, subject="watch-1")
    elsewhere = stack.token(Role.STAFF, subject="watch-2", provinces=["99"])
    async with (
        served(stack.app) as port,
        subscription(port, "participant", token, MY_STATUS) as mine,
        subscription(port, "staff", national, STAFF_STATUS) as watch,
        subscription(port, "staff", elsewhere, STAFF_STATUS) as blind,
    ):
        first = await next_data(mine)
        assert (first["caseId"], first["stage"]) == (case["id"], "ENROLLED")
        await asyncio.sleep(0.3)  # every subscription is listening
        args = {"c": case["id"], "code": "ENROLLED_STUDENT", "r": "a student", "e": "PDDikti 2025"}
        t0 = time.perf_counter()
        await mark_and_approve(stack, args)
        while (update := await next_data(mine))["stage"] != "CLAWBACK":
            pass
        assert time.perf_counter() - t0 < 1.0
        while (seen := await next_data(watch))["caseId"] != case["id"] or seen["stage"] != "CLAWBACK":
            pass
        assert update["version"] > first["version"]
        assert time.perf_counter() - t0 < 1.5
        with contextlib.suppress(TimeoutError):
            leaked = await asyncio.wait_for(blind.recv(), 1.0)
            raise AssertionError(f"an out-of-scope operator received {leaked}")

    async with served(stack.app) as port:
        uri = f"ws://127.0.0.1:{port}/graphql/participant"
        async with websockets.connect(uri, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer forged"}}))
            with contextlib.suppress(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            assert ws.close_code == 4403


LIVE_INCENTIVES = """
subscription {
  myCaseStatus { __typename ... on CaseStatusUpdate { caseId version incentives { number status amount paidAt } } }
}"""


async def test_the_live_status_carries_the_incentives_and_reaches_only_its_participant(stack):
    """A survey opening and a payment landing are pushed with the status (the phone needs no second read); another
    participant's subscription, routed by account, hears nothing of it."""
    [(token, case), (other_token, _)] = await enrolled(stack, 2)
    record = await stack.store.by_id(case["id"])
    async with (
        served(stack.app) as port,
        subscription(port, "participant", token, LIVE_INCENTIVES) as mine,
        subscription(port, "participant", other_token, LIVE_INCENTIVES) as other,
    ):
        first = await next_data(mine)
        assert (first["caseId"], first["incentives"]) == (case["id"], [])
        await next_data(other)
        await asyncio.sleep(0.3)  # both are listening
        due = dt.datetime.now(dt.UTC)
        tranches = (
            Tranche(1, "JOB_SEARCH", 600_000, f"{case['id']}:incentive:1", TrancheStatus.PAID, due, paid_at=due),
            Tranche(2, "SURVEY", 50_000, f"{case['id']}:incentive:2", TrancheStatus.SURVEY_OPEN, due, due),
        )
        changed = dataclasses.replace(record, version=record.version + 100, incentives=tranches)
        assert await stack.store.project(changed)
        while (update := await next_data(mine))["version"] != changed.version:
            pass
        assert update["incentives"] == [
            {"number": 1, "status": "PAID", "amount": 600_000, "paidAt": due.isoformat()},
            {"number": 2, "status": "SURVEY_OPEN", "amount": 50_000, "paidAt": None},
        ]
        with contextlib.suppress(TimeoutError):
            leaked = await asyncio.wait_for(other.recv(), 1.0)
            raise AssertionError(f"another participant received {leaked}")
