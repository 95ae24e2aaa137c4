"""Monitoring and sanctions end to end: a reproducible monthly sample (commitment first, draw after the month, anyone
re-draws it), findings with evidence, and a provider suspension approved by four eyes that stops purchases at once,
refunds the training not yet started, lets the started one finish and tells both participants why."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text

from caseapi.shared.auth import Role
from domain.quality import monitoring as mn
from tests.integration.quality_steps import register_body
from tests.integration.training_queries import MY_TRAINING, REDEEM
from tests.integration.training_steps import buy, enrolled, ledger_problems, market, partner_token

SAMPLE = """
query S($p: String!, $m: String!) { monitoringSample(providerCode: $p, month: $m) { __typename
  ... on MonitoringSample { id commitment committedLate seed populationSize drawn } ... on Error { code message } } }"""
VERIFY = "query V($id: Int!) { verifyMonitoringSample(sampleId: $id) { identical seed population drawn } }"
FINDING = """
mutation F($p: String!, $evidence: [String!]!) { recordFinding(providerCode: $p, severity: MAJOR,
  summary: "Semua sesi ditebus dalam 3 menit.", evidence: $evidence) { __typename ... on Finding { id }
  ... on Error { code message } } }"""
TIMELINE = "query T($p: String!) { qualityTimeline(providerCode: $p) { kind actor } }"
OPEN = """
mutation O($p: String!, $f: Int) { openSanction(kind: PROVIDER_SUSPENSION, providerCode: $p, findingId: $f,
  reason: "Kehadiran tidak terverifikasi.") { __typename ... on Sanction { id status } ... on Error { code } } }"""
APPROVE = """
mutation A($id: Int!) { approveSanction(id: $id) { __typename ... on Sanction { id status decidedBy }
  ... on Error { code message } } }"""


async def _vouchers_in(stack, provider: str, month_start: dt.datetime, n: int) -> list[str]:
    codes = [f"V{uuid.uuid4().hex[:14].upper()}" for _ in range(n)]
    async with stack.engine.begin() as conn:
        for i, code in enumerate(codes):
            await conn.execute(
                text(
                    "INSERT INTO vouchers (voucher_code, redeem_code, invoice_code, purchase_key, case_id, card_number,"
                    " course_code, provider_code, platform_code, price, status, created_at) VALUES (:v, :v || 'R',"
                    " :v || 'I', :v || 'K', 'monitoring-test', '0', 'c', :p, 'dp', 1, 'ACTIVE', :at)"
                ),
                {"v": code, "p": provider, "at": month_start + dt.timedelta(hours=5 * i)},
            )
    return codes


async def test_a_monthly_sample_is_committed_drawn_after_the_month_and_re_drawn_by_anyone(stack):
    provider, body = f"lpk-mon-{uuid.uuid4().hex[:6]}", f"mon-{uuid.uuid4().hex[:6]}"
    await register_body(stack, body, assesses=False, monitors=True, providers=[provider])
    population = await _vouchers_in(stack, provider, dt.datetime(2026, 10, 1, tzinfo=mn.WIB), 30)
    monitor = stack.token(Role.MONITOR, subject="mon-1", body=body)
    now = dt.datetime.now(mn.WIB).strftime("%Y-%m")
    current = (await stack.gql("staff", SAMPLE, {"p": provider, "m": now}, token=monitor))["monitoringSample"]
    assert current["seed"] is None and current["drawn"] is None and len(current["commitment"]) == 64, current
    again = (await stack.gql("staff", SAMPLE, {"p": provider, "m": now}, token=monitor))["monitoringSample"]
    assert again["commitment"] == current["commitment"]  # committed once, before the month is over
    past = (await stack.gql("staff", SAMPLE, {"p": provider, "m": "2026-10"}, token=monitor))["monitoringSample"]
    assert past["committedLate"] and past["populationSize"] == 30 and len(past["drawn"]) == 5, past
    assert past["drawn"] == mn.draw(past["seed"], population)  # anyone with the seed and the list re-draws it
    checked = await stack.gql("staff", VERIFY, {"id": past["id"]}, token=stack.token(Role.STAFF))
    assert checked["verifyMonitoringSample"]["identical"] is True
    other = stack.token(Role.MONITOR, subject="mon-2", body=f"other-{uuid.uuid4().hex[:6]}")
    refused = (await stack.gql("staff", SAMPLE, {"p": provider, "m": "2026-10"}, token=other))["monitoringSample"]
    assert refused["__typename"] == "Forbidden", refused


async def _redeem(stack, m, code: str) -> dict:
    variables = {"code": code, "key": uuid.uuid4().hex, "seq": 1, "type": None}
    return (await stack.gql("partner", REDEEM, variables, token=partner_token(stack, m.provider)))["redeemVoucher"]


async def test_a_provider_suspension_by_four_eyes_stops_sales_refunds_unstarted_and_tells_participants(stack):
    m = await market(stack)
    body = f"mon-{uuid.uuid4().hex[:6]}"
    await register_body(stack, body, assesses=False, monitors=True, providers=[m.provider])
    monitor = stack.token(Role.MONITOR, subject="mon-s", body=body)
    bad = await stack.gql("staff", FINDING, {"p": m.provider, "evidence": ["http://x"]}, token=monitor)
    assert bad["recordFinding"]["code"] == "INVALID_ARGUMENT", bad
    evidence = ["https://evidence.example/recording-1"]
    finding = await stack.gql("staff", FINDING, {"p": m.provider, "evidence": evidence}, token=monitor)
    finding_id = finding["recordFinding"]["id"]
    [(waiting, _), (started, _), (later, _)] = await enrolled(stack, 3)
    unstarted = await buy(stack, m, waiting, "selfpaced")
    running = await buy(stack, m, started, "selfpaced")
    assert (await _redeem(stack, m, running["redeemCode"]))["__typename"] == "RedeemReceipt"

    maker = stack.token(Role.SUPERVISOR, subject="sup-maker")
    opened = (await stack.gql("staff", OPEN, {"p": m.provider, "f": finding_id}, token=maker))["openSanction"]
    assert opened["status"] == "PENDING", opened
    own = (await stack.gql("staff", APPROVE, {"id": opened["id"]}, token=maker))["approveSanction"]
    assert own["code"] == "FOUR_EYES_REQUIRED", own
    staff = await stack.gql("staff", APPROVE, {"id": opened["id"]}, token=stack.token(Role.STAFF))
    assert staff["approveSanction"]["__typename"] == "Forbidden", staff
    checker = stack.token(Role.SUPERVISOR, subject="sup-checker")
    approved = (await stack.gql("staff", APPROVE, {"id": opened["id"]}, token=checker))["approveSanction"]
    assert (approved["status"], approved["decidedBy"]) == ("APPROVED", "supervisor:sup-checker"), approved

    refused = await buy(stack, m, later, "webinar")
    assert refused["code"] == "PROVIDER_SUSPENDED", refused
    waiting_case = (await stack.gql("participant", MY_TRAINING, token=waiting))["myCase"]
    started_case = (await stack.gql("participant", MY_TRAINING, token=started))["myCase"]
    assert [t["status"] for t in waiting_case["trainings"]] == ["CANCELLED"], waiting_case["trainings"]
    assert [t["status"] for t in started_case["trainings"]] == ["IN_TRAINING"], started_case["trainings"]
    assert waiting_case["balance"] == 3_500_000  # refunded
    told = [n for c in (waiting_case, started_case) for n in c["notifications"] if n["kind"] == "SANCTION"]
    assert len(told) == 2 and "refund" not in told[1]["body"], told
    assert any("back on your Kartu Prakerja balance" in n["body"] or "dikembalikan" in n["body"] for n in told)

    second = stack.token(Role.SUPERVISOR, subject="sup-second")
    again = (await stack.gql("staff", APPROVE, {"id": opened["id"]}, token=second))["approveSanction"]
    assert again["decidedBy"] == "supervisor:sup-checker"  # the second approval did nothing
    after = (await stack.gql("participant", MY_TRAINING, token=waiting))["myCase"]
    assert len([n for n in after["notifications"] if n["kind"] == "SANCTION"]) == 1
    timeline = await stack.gql("staff", TIMELINE, {"p": m.provider}, token=monitor)
    kinds = [e["kind"] for e in timeline["qualityTimeline"]]
    for kind in ("FINDING_RECORDED", "SANCTION_OPENED", "SANCTION_APPROVED", "SANCTION_CARRIED_OUT"):
        assert kind in kinds, kinds
    assert await ledger_problems(stack) == []
    del unstarted
