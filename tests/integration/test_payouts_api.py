"""Incentives and clawback through the GraphQL API against the dev server and PostgreSQL: prerequisites shown to
the participant, account linking with the partner's typed refusals, phone change only after unlinking, the
schedule on ``myCase``; staff clawback to repayment; reconciliation raising planted discrepancies."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest

from adapters.db.payments import PgPaymentStore
from caseapi.shared.auth import Role
from domain.clock import programme_date
from domain.nik import blind_index
from domain.payouts.ports import PaymentClaim, StatementLine, TransferOutcome, TransferResult
from domain.payouts.tranches import Provider
from tests.integration.helpers import clean_people, wait_for_case
from tests.integration.payout_queries import (
    CHANGE_PHONE,
    DISCREPANCIES,
    LINK,
    MARK_INELIGIBLE,
    MY_PAYOUTS,
    RECEIVABLES,
    RECONCILE,
    REPAY,
    RESOLVE,
    UNLINK,
    mark_and_approve,
)
from tests.integration.training_queries import RATE
from tests.integration.training_steps import certified, enrolled, ledger_problems, market
from tests.workflows.test_replay import replay_and_maybe_record


@pytest.fixture(autouse=True)
async def ledger_invariants(stack):
    yield
    assert await ledger_problems(stack) == []


def person_of(stack, case_id: str):
    key = stack.settings.blind_index_key.reveal().encode()
    return next(p for p in clean_people(stack.population) if blind_index(p.nik, key) == case_id)


async def payouts(stack, token) -> dict:
    return (await stack.gql("participant", MY_PAYOUTS, token=token))["myCase"]


async def op(stack, endpoint, doc, variables=None, *, token) -> dict:
    return next(iter((await stack.gql(endpoint, doc, variables or {}, token=token)).values()))


async def trained(stack) -> tuple[str, dict, str]:
    """An enrolled participant with a certificate: (token, myCase, voucher)."""
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    return token, case, await certified(stack, m, token)


async def test_prerequisites_linking_refusals_phone_change_and_the_schedule(stack):
    token, case, voucher = await trained(stack)
    person = person_of(stack, case["id"])
    shown = await payouts(stack, token)
    assert shown["incentivePrerequisites"] == {
        "certificate": True,
        "rating": False,
        "account": False,
        "met": False,
        "missing": shown["incentivePrerequisites"]["missing"],
    }
    assert "rate" in shown["nextAction"] and "link a bank" in shown["nextAction"] and shown["incentives"] == []
    rated = await op(stack, "participant", RATE, {"v": voucher, "s": 4, "r": "Berguna"}, token=token)
    assert rated["__typename"] == "TrainingReport"

    other = next(p for p in clean_people(stack.population) if p.nik != person.nik)
    wallet, stranger, basic = (f"0812{uuid.uuid4().int % 10**8:08d}" for _ in range(3))
    await stack.partner.open_account(Provider.GOPAY, wallet, person.nik, person.full_name)
    await stack.partner.open_account(Provider.DANA, stranger, other.nik, other.full_name)
    await stack.partner.open_account(Provider.OVO, basic, person.nik, person.full_name, kyc_verified=False)
    for provider, number, code in (
        ("GOPAY", "0000000001", "ACCOUNT_NOT_FOUND"),
        ("DANA", stranger, "NIK_MISMATCH"),
        ("OVO", basic, "KYC_NOT_VERIFIED"),
        ("GOPAY", "12ab", "INVALID_ARGUMENT"),
    ):
        refused = await op(stack, "participant", LINK, {"p": provider, "n": number}, token=token)
        assert refused["code"] == code, refused
    assert (await payouts(stack, token))["payoutAccount"] is None  # nothing half-applied

    linked = await op(stack, "participant", LINK, {"p": "GOPAY", "n": wallet}, token=token)
    assert linked["__typename"] == "PayoutAccount" and linked["accountNumberMasked"].endswith(wallet[-4:])
    assert wallet not in linked["accountNumberMasked"] and "***" in linked["holderName"]
    again = await op(stack, "participant", LINK, {"p": "GOPAY", "n": wallet}, token=token)
    assert again == linked  # a retry
    other_link = await op(stack, "participant", LINK, {"p": "DANA", "n": stranger}, token=token)
    assert other_link["code"] == "ACCOUNT_ALREADY_LINKED"
    blocked = await op(stack, "participant", CHANGE_PHONE, {"p": "081299990000"}, token=token)
    assert blocked["code"] == "UNLINK_FIRST"

    shown = await payouts(stack, token)
    assert shown["incentivePrerequisites"]["met"] is True
    assert [(x["kind"], x["amount"], x["status"]) for x in shown["incentives"]] == [
        ("JOB_SEARCH", 600_000, "SCHEDULED"),
        ("SURVEY", 50_000, "SCHEDULED"),
        ("SURVEY", 50_000, "SCHEDULED"),
    ]
    assert "Next incentive" in shown["nextAction"]
    assert (await op(stack, "participant", UNLINK, token=token))["provider"] == "GOPAY"
    assert (await op(stack, "participant", UNLINK, token=token))["code"] == "NO_ACCOUNT_LINKED"
    bad_phone = await op(stack, "participant", CHANGE_PHONE, {"p": "12345"}, token=token)
    assert bad_phone["code"] == "INVALID_ARGUMENT"
    changed = await op(stack, "participant", CHANGE_PHONE, {"p": "0812 9999 0000"}, token=token)
    assert changed == {"__typename": "PhoneChanged", "phone": "+6281299990000"}  # stored in E.164
    relinked = await op(stack, "participant", LINK, {"p": "GOPAY", "n": wallet}, token=token)
    assert relinked["__typename"] == "PayoutAccount"
    shown = await payouts(stack, token)
    assert shown["application"]["phone"] == "+6281299990000" and shown["payoutAccount"]["provider"] == "GOPAY"


async def test_staff_clawback_through_the_api_from_marking_to_full_repayment(stack):
    token, case, voucher = await trained(stack)
    await op(stack, "participant", RATE, {"v": voucher, "s": 5, "r": "ok"}, token=token)
    staff = stack.token(Role.STAFF)
    args = {"c": case["id"], "code": "ENROLLED_STUDENT", "r": "full-time student", "e": "PDDikti record 2024"}
    bad = await op(stack, "staff", MARK_INELIGIBLE, {**args, "code": "NOPE"}, token=staff)
    assert bad["code"] == "INVALID_ARGUMENT"
    elsewhere = stack.token(Role.STAFF, provinces=["99"])
    assert (await op(stack, "staff", MARK_INELIGIBLE, args, token=elsewhere))["code"] == "CASE_NOT_FOUND"

    marked = await mark_and_approve(stack, args)
    assert marked["status"] == "EXECUTED" and marked["result"].startswith("clawback started"), marked
    clash = await mark_and_approve(stack, {**args, "r": "another reason"})
    assert clash["status"] == "FAILED" and clash["result"].startswith("CLAWBACK_ACTIVE")

    await wait_for_case(stack, token, lambda c: c["stage"] == "CLAWBACK")
    for _ in range(100):
        shown = await payouts(stack, token)
        if shown["clawback"]["status"] == "OPEN" and len(shown["clawback"]["steps"]) == 5:
            break
        await asyncio.sleep(0.1)
    c = shown["clawback"]
    assert (c["trainingAid"], c["incentives"], c["amountDue"]) == (1_000_000, 0, 1_000_000)
    assert [s["step"] for s in c["steps"]][-1] == "PARTICIPANT_NOTIFIED" and "repay" in shown["nextAction"]
    linked = await op(stack, "participant", LINK, {"p": "BNI", "n": "1234567890"}, token=token)
    assert linked["code"] == "CLAWBACK_ACTIVE"

    too_much = await op(stack, "staff", REPAY, {"c": case["id"], "ref": "TRF-9", "a": 2_000_000}, token=staff)
    assert too_much["code"] == "OVERPAYMENT"
    paid = await op(stack, "staff", REPAY, {"c": case["id"], "ref": "TRF-1", "a": 1_000_000}, token=staff)
    assert (paid["repaid"], paid["outstanding"], paid["status"]) == (1_000_000, 0, "REPAID")
    listed = await op(stack, "staff", RECEIVABLES, {"s": "REPAID"}, token=staff)
    assert case["id"] in [r["caseId"] for r in listed["items"]]
    assert (await op(stack, "staff", RECEIVABLES, {}, token=elsewhere))["code"] == "FORBIDDEN"


async def test_reconciliation_raises_planted_discrepancies_and_staff_resolve_them(stack):
    day = programme_date(dt.datetime.now(dt.UTC))
    case_id = uuid.uuid4().hex
    now = dt.datetime.now(dt.UTC)
    # Our books say Rp600,000 went out; the partner's statement says Rp500,000 for the same key.
    store = PgPaymentStore(stack.engine)
    row = await store.claim(PaymentClaim(case_id, 1, 1, "JOB_SEARCH", 600_000, Provider.BNI, "1111222233", 1, now))
    await store.settle(row.key, TransferResult(row.key, TransferOutcome.PAID, now, partner_ref="TRX-ours"))
    await stack.partner.plant_transfer(StatementLine(row.key, "TRX-ours", Provider.BNI, "1111222233", 500_000, now))
    # And a transfer nobody asked for.
    stray = f"{uuid.uuid4().hex}:incentive:1/1"
    await stack.partner.plant_transfer(StatementLine(stray, "TRX-stray", Provider.OVO, "0812000000", 600_000, now))

    national = stack.token(Role.STAFF)
    scoped = stack.token(Role.STAFF, provinces=["31"])
    assert (await op(stack, "staff", RECONCILE, {"d": day.isoformat()}, token=scoped))["code"] == "FORBIDDEN"
    run = await op(stack, "staff", RECONCILE, {"d": day.isoformat()}, token=national)
    assert run["__typename"] == "ReconciliationRun" and run["newDiscrepancies"] >= 2
    rerun = await op(stack, "staff", RECONCILE, {"d": day.isoformat()}, token=national)
    assert rerun["newDiscrepancies"] == 0  # raised once
    query = f"WorkflowType='ReconciliationWorkflow' AND TaskQueue='{stack.settings.task_queue}'"
    for _ in range(100):  # visibility is eventually consistent
        runs = [wf.id async for wf in stack.client.list_workflows(query)]
        if runs:
            break
        await asyncio.sleep(0.1)
    await replay_and_maybe_record(stack.client, runs[0], "reconciliation")
    found = {(d["key"], d["kind"]): d for d in (await op(stack, "staff", DISCREPANCIES, token=national))["items"]}
    assert (row.key, "AMOUNT_MISMATCH") in found and (stray, "UNKNOWN_TRANSFER") in found
    assert found[(row.key, "AMOUNT_MISMATCH")]["caseId"] == case_id
    target = found[(stray, "UNKNOWN_TRANSFER")]["id"]
    resolved = await op(stack, "staff", RESOLVE, {"id": target, "n": "reversed by the bank"}, token=national)
    assert resolved == {"__typename": "DiscrepancyResolved", "id": target}
    left = {d["id"] for d in (await op(stack, "staff", DISCREPANCIES, token=national))["items"]}
    assert target not in left


async def test_the_daily_reconciliation_is_a_temporal_schedule_created_once(stack):
    from worker import ensure_reconciliation_schedule
    from workflows.reconciliation import SCHEDULE_ID

    await ensure_reconciliation_schedule(stack.client, stack.settings.task_queue)
    await ensure_reconciliation_schedule(stack.client, stack.settings.task_queue)  # a restarted worker
    described = await stack.client.get_schedule_handle(SCHEDULE_ID).describe()
    spec = described.schedule.spec
    assert spec.time_zone_name == "Asia/Jakarta"
    [calendar] = spec.calendars  # the server stores the cron "0 1 * * *" as a calendar: 01:00 every day
    assert [(r.start, r.end) for r in calendar.hour] == [(1, 1)] and [(r.start, r.end) for r in calendar.minute] == [
        (0, 0)
    ]
    assert described.schedule.action.workflow == "ReconciliationWorkflow"
