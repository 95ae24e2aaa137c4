"""Enrollment and training end to end: card and balance, purchases exactly once, redeem (GraphQL and the
official REST contract), completion, verification and certificates. Ledger invariants after every test."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from functools import partial

import pytest

from caseapi.shared.auth import Role
from tests.integration.training_queries import (
    CANCEL_PURCHASE,
    CANCEL_VOUCHER,
    CONFIRM_COMPLETION,
    MY_TRAINING,
    OUTCOMES,
    PURCHASE,
    RATE,
    REDEEM,
    REPORT_COMPLETION,
    REPORT_SCORE,
    VERIFY_COMPLETION,
)
from tests.integration.training_steps import (
    buy,
    card_of,
    enrolled,
    latest_otp,
    ledger_problems,
    market,
    partner_token,
    request_otp,
)
from tests.workflows.test_replay import replay_and_maybe_record
from workflows.participant import ParticipantWorkflow

COMMIT = "/api/v1/integration/payment/redeem-code/commit"
STATUS = "/api/v1/integration/payment/redeem-code/status"


@pytest.fixture(autouse=True)
async def ledger_invariants(stack):
    yield
    assert await ledger_problems(stack) == []


async def my(stack, token) -> dict:
    return (await stack.gql("participant", MY_TRAINING, token=token))["myCase"]


async def redeem(stack, m, code, seq=1, *, provider=None, key=None, mode=None) -> dict:
    variables = {"code": code, "key": key or uuid.uuid4().hex, "seq": seq, "type": mode}
    result = await stack.gql("partner", REDEEM, variables, token=partner_token(stack, provider or m.provider))
    return result["redeemVoucher"]


async def staff_op(stack, doc, voucher, **extra) -> dict:
    data = await stack.gql("staff", doc, {"v": voucher, **extra}, token=stack.token(Role.STAFF))
    return next(iter(data.values()))


async def partner_op(stack, doc, voucher, code, **extra) -> dict:
    data = await stack.gql("partner", doc, {"v": voucher, **extra}, token=partner_token(stack, code))
    return next(iter(data.values()))


def signed(key: str, client: str, path: str, body: dict, *, spaced=False, capitalised=False, ts=None):
    """Headers and body as the official sample clients build them: HMAC-SHA1 over
    client_code + timestamp + "POST" + path + the compact JSON body, lowercase hex."""
    stamp = str(ts or int(time.time()))
    compact = json.dumps(body, separators=(",", ":"))
    signature = hmac.new(key.encode(), f"{client}{stamp}POST{path}{compact}".encode(), hashlib.sha1).hexdigest()
    names = ("Client_code", "Timestamp", "Signature") if capitalised else ("client_code", "timestamp", "signature")
    sent = json.dumps(body) if spaced else compact  # json.dumps's default adds spaces after ':' and ','
    headers = dict(zip(names, (client, stamp, signature), strict=True)) | {"content-type": "application/json"}
    return headers, sent


async def rest(stack, m, path, body, *, provider=None, **how):
    provider = provider or m.provider
    headers, sent = signed(m.keys[provider], provider, path, body, **how)
    return await stack.http.post(path, content=sent, headers=headers)


async def test_enrollment_purchase_redeem_completion_and_certificate(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    assert case["card"]["number"].isdigit() and len(case["card"]["number"]) == 16
    assert case["balance"] == 3_500_000 and case["card"]["credited"] == 3_500_000
    assert [(e["kind"], e["amount"]) for e in case["ledger"]] == [("CREDIT", 3_500_000)]
    assert "before" in case["nextAction"] and {"ENROLLED"} <= {n["kind"] for n in case["notifications"]}

    key = f"order-{uuid.uuid4().hex[:8]}"
    receipt = await buy(stack, m, token, "selfpaced", key=key)
    assert receipt["__typename"] == "PurchaseReceipt", receipt
    assert receipt["balanceAfter"] == 2_500_000 and receipt["idempotencyKey"] == key
    again = await buy(stack, m, token, "selfpaced", key=key, otp="000000")  # a retry: same answer, one debit
    assert again == receipt
    shown = await my(stack, token)
    assert shown["stage"] == "TRAINING" and shown["balance"] == 2_500_000
    assert [e["kind"] for e in shown["ledger"]] == ["CREDIT", "DEBIT"]
    otp_notes = [n for n in shown["notifications"] if n["kind"] == "PURCHASE_OTP"]
    assert otp_notes and all(not any(ch.isdigit() for ch in n["body"]) for n in otp_notes)  # OTP hidden

    unfinished = await buy(stack, m, token, "webinar")
    assert unfinished["__typename"] == "PurchaseRefused" and unfinished["code"] == "TRAINING_UNFINISHED"

    voucher = receipt["voucherCode"]
    not_started = await partner_op(stack, REPORT_COMPLETION, voucher, m.provider)
    assert not_started["code"] == "INVALID_TRAINING_STATE"
    used = await rest(stack, m, COMMIT, {"redeem_code": receipt["redeemCode"], "sequence": 1})
    assert used.status_code == 200, used.text
    data = used.json()["data"]
    assert used.json()["success"] and data["redeem_code"] == receipt["redeemCode"] and data["sequence"] == 1
    assert data["attendance_status"] == 1 and data["dp_platform"] == m.platform
    assert data["invoice_code"] == receipt["invoiceCode"]

    reported = await partner_op(stack, REPORT_COMPLETION, voucher, m.provider)
    assert reported["status"] == "COMPLETION_REPORTED"
    wrong_platform = await partner_op(stack, CONFIRM_COMPLETION, voucher, m.other_platform)
    assert wrong_platform["code"] == "NOT_YOUR_PURCHASE"
    confirmed = await partner_op(stack, CONFIRM_COMPLETION, voucher, m.platform)
    assert confirmed["status"] == "VERIFYING"
    assert (await my(stack, token))["trainings"][0]["verificationDue"] is not None  # the durable timer's deadline
    verified = await staff_op(stack, VERIFY_COMPLETION, voucher)
    assert verified["status"] == "CERTIFIED" and verified["certificateSerial"].startswith("PKJ/")
    again = await staff_op(stack, VERIFY_COMPLETION, voucher)
    assert again["certificateSerial"] == verified["certificateSerial"]
    final = await my(stack, token)
    assert final["trainings"][0]["certificateSerial"] == verified["certificateSerial"]
    assert "CERTIFICATE" in {n["kind"] for n in final["notifications"]}
    assert "another training" in final["nextAction"]

    # Finished: the next training can be bought with what is left.
    second = await buy(stack, m, token, "webinar")
    assert second["__typename"] == "PurchaseReceipt" and second["balanceAfter"] == 1_000_000
    await replay_and_maybe_record(stack.client, f"participant-{case['id']}", "participant_trained")


async def test_purchase_refusals_write_nothing(stack):
    m = await market(stack)
    [(token, _case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    wrong_otp = await buy(stack, m, token, "selfpaced", otp="123456")
    assert wrong_otp["code"] == "OTP_INVALID"
    wrong_price = await buy(stack, m, token, "selfpaced", price=999_000)
    assert wrong_price["code"] in ("PRICE_MISMATCH",)
    too_dear = await buy(stack, m, token, "dear")
    assert too_dear["__typename"] == "PurchaseRefused" and too_dear["code"] == "INSUFFICIENT_BALANCE"
    unknown = await request_otp(stack, m, "5000000000000000", "selfpaced")
    assert unknown["code"] == "CARD_NOT_FOUND"
    elsewhere = await request_otp(stack, m, card, "elsewhere")  # another platform's course
    assert elsewhere["code"] == "COURSE_NOT_FOUND"
    as_provider = await request_otp(stack, m, card, "selfpaced", platform=m.provider)
    assert as_provider["__typename"] == "Forbidden"
    shown = await my(stack, token)
    assert shown["balance"] == 3_500_000 and shown["trainings"] == [] and len(shown["ledger"]) == 1


async def test_concurrent_purchases_race_for_the_last_rupiah(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    c = m.courses["full"]  # the whole balance
    inputs = []
    for _ in range(3):
        sent = await request_otp(stack, m, card, "full")
        assert sent["__typename"] == "OtpChallengeSent"
        otp = await latest_otp(stack, case["id"])
        inputs.append(
            {
                "cardNumber": card,
                "courseCode": c["courseCode"],
                "price": c["price"],
                "otp": otp,
                "idempotencyKey": uuid.uuid4().hex,
            }
        )
    results = await asyncio.gather(
        *(stack.gql("partner", PURCHASE, {"input": i}, token=partner_token(stack, m.platform)) for i in inputs)
    )
    kinds = sorted(r["purchaseTraining"]["__typename"] for r in results)
    assert kinds == ["PurchaseReceipt", "PurchaseRefused", "PurchaseRefused"], results
    shown = await my(stack, token)
    assert shown["balance"] == 0 and [e["kind"] for e in shown["ledger"]] == ["CREDIT", "DEBIT"]


async def test_a_retried_purchase_is_answered_the_same_after_continue_as_new(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    key = uuid.uuid4().hex
    receipt = await buy(stack, m, token, "selfpaced", key=key)
    handle = stack.client.get_workflow_handle(f"participant-{case['id']}")
    first_run = (await handle.describe()).run_id  # the run that took the purchase, or a later one
    for sequence in range(1, 11):  # attendance reports grow the history; the test server suggests CAN early
        if (await handle.describe()).run_id != first_run:
            break
        assert (await redeem(stack, m, receipt["redeemCode"], sequence))["__typename"] == "RedeemReceipt"
        await asyncio.sleep(0.2)
    assert (await handle.describe()).run_id != first_run, "the workflow did not continue as new"
    again = await buy(stack, m, token, "selfpaced", key=key, otp="000000")
    assert again == receipt
    state = await handle.query(ParticipantWorkflow.snapshot)
    assert [t.purchase_key for t in state.trainings] == [f"{m.platform}:{key}"]
    assert (await my(stack, token))["balance"] == 2_500_000


async def test_each_redeem_failure_reason(stack):
    m = await market(stack)
    [(t1, _c1), (t2, _c2), (t3, _c3)] = await enrolled(stack, 3)
    webinar = await buy(stack, m, t1, "webinar")
    code = webinar["redeemCode"]
    assert (await redeem(stack, m, "NOSUCHCODE99"))["code"] == "REDEEM_CODE_NOT_FOUND"
    assert (await redeem(stack, m, code, provider=m.other_provider))["code"] == "CODE_OF_OTHER_PROVIDER"
    assert (await redeem(stack, m, code, mode="OFFLINE"))["code"] == "TRAINING_TYPE_MISMATCH"
    assert (await redeem(stack, m, code, 2))["code"] == "OUTSIDE_REDEEM_WINDOW"  # session 2 starts in 3 days
    assert (await redeem(stack, m, code, 7))["code"] == "INVALID_SEQUENCE"  # the webinar has 2 sessions
    key = uuid.uuid4().hex
    ok = await redeem(stack, m, code, 1, key=key, mode="WEBINAR")
    assert ok["__typename"] == "RedeemReceipt" and ok["attendanceStatus"] == "ATTENDED"
    assert await redeem(stack, m, code, 1, key=key) == ok  # the provider's retry
    assert (await redeem(stack, m, code, 1))["code"] == "CODE_ALREADY_USED"

    cancelled = await buy(stack, m, t2, "selfpaced")
    done = await staff_op(stack, CANCEL_VOUCHER, cancelled["voucherCode"], r="suspended training")
    assert done["status"] == "CANCELLED"
    assert (await redeem(stack, m, cancelled["redeemCode"]))["code"] == "CODE_CANCELLED"
    assert (await my(stack, t2))["balance"] == 3_500_000  # refunded

    withdrawn = await buy(stack, m, t3, "selfpaced")
    other = await partner_op(stack, CANCEL_PURCHASE, withdrawn["voucherCode"], m.other_platform, r="x")
    assert other["code"] == "NOT_YOUR_PURCHASE"
    done = await partner_op(stack, CANCEL_PURCHASE, withdrawn["voucherCode"], m.platform, r="customer refund")
    assert done.get("status") == "CANCELLED", done
    assert (await redeem(stack, m, withdrawn["redeemCode"]))["code"] == "TRANSACTION_CANCELLED"
    ledger = [e["kind"] for e in (await my(stack, t3))["ledger"]]
    assert ledger == ["CREDIT", "DEBIT", "REFUND"]


async def test_the_official_rest_contract(stack):
    m = await market(stack)
    [(token, _case)] = await enrolled(stack, 1)
    receipt = await buy(stack, m, token, "webinar")
    code = receipt["redeemCode"]

    status = await rest(stack, m, STATUS, {"redeem_code": code})  # sequence defaults to 1
    assert status.status_code == 200 and status.json()["data"]["attendance_status"] == 0
    spaced = await rest(stack, m, COMMIT, {"redeem_code": code, "sequence": 1}, spaced=True, capitalised=True)
    assert spaced.status_code == 200, spaced.text
    assert spaced.json()["data"]["status"] == 1 and spaced.json()["data"]["redeem_at"].endswith("Z")
    status = await rest(stack, m, STATUS, {"redeem_code": code, "sequence": 1}, capitalised=True)
    assert status.json()["data"]["attendance_status"] == 1

    headers, body = signed(m.keys[m.provider], m.provider, STATUS, {"redeem_code": code})
    first = await stack.http.post(STATUS, content=body, headers=headers)
    replay = await stack.http.post(STATUS, content=body, headers=headers)
    assert first.status_code == 200 and replay.status_code == 409
    assert replay.json() == {"success": False, "code": "ERRPLT40901", "message": replay.json()["message"]}

    forged = dict(headers, signature="0" * 40, timestamp=str(int(time.time()) + 1))
    bad = await stack.http.post(STATUS, content=body, headers=forged)
    assert bad.status_code == 401 and bad.json()["code"] == "ERRPLT40104"
    stale = await rest(stack, m, STATUS, {"redeem_code": code}, ts=int(time.time()) - 3600)
    assert stale.status_code == 401 and stale.json()["code"] == "ERRPLT40103"

    theirs = await rest(stack, m, COMMIT, {"redeem_code": code, "sequence": 1}, provider=m.other_provider)
    assert theirs.status_code == 400 and theirs.json()["code"] == "ERRPLT40021"
    late = await rest(stack, m, COMMIT, {"redeem_code": code, "sequence": 2})
    assert late.status_code == 400 and late.json()["code"] == "ERRPLT40026"
    missing = await rest(stack, m, COMMIT, {"redeem_code": "NOSUCHCODE99"})
    assert missing.status_code == 400 and missing.json()["code"] == "ERRPLT40020"
    platform = await rest(stack, m, COMMIT, {"redeem_code": code}, provider=m.platform)  # not a provider
    assert platform.status_code == 401 and platform.json()["code"] == "ERRPLT40102"


async def test_a_platform_key_reused_for_another_participant_is_refused(stack):
    m = await market(stack)
    [(t1, _), (t2, _)] = await enrolled(stack, 2)
    key = uuid.uuid4().hex
    first = await buy(stack, m, t1, "selfpaced", key=key)
    assert first["__typename"] == "PurchaseReceipt"
    second = await buy(stack, m, t2, "selfpaced", key=key)
    assert second["__typename"] == "PurchaseRefused" and second["code"] == "IDEMPOTENCY_KEY_REUSED"
    shown = await my(stack, t2)
    assert shown["balance"] == 3_500_000 and shown["trainings"] == []


async def test_test_scores_and_rating_are_shown_and_aggregated(stack):
    m = await market(stack)
    [(token, _)] = await enrolled(stack, 1)
    receipt = await buy(stack, m, token, "selfpaced")
    v = receipt["voucherCode"]
    score = partial(partner_op, stack, REPORT_SCORE, v)
    assert (await score(m.provider, k="PRE", s=55))["status"] == "PURCHASED"
    assert (await score(m.provider, k="PRE", s=55))["status"] == "PURCHASED"  # a retry
    assert (await score(m.provider, k="PRE", s=60))["code"] == "INVALID_TRAINING_STATE"  # already reported
    assert (await score(m.other_provider, k="PRE", s=60))["code"] == "CODE_OF_OTHER_PROVIDER"
    assert (await score(m.provider, k="POST", s=70))["code"] == "INVALID_TRAINING_STATE"  # nothing attended yet
    assert (await score(m.provider, k="POST", s=170))["code"] == "INVALID_ARGUMENT"
    rate = partial(stack.gql, "participant", RATE, token=token)
    early = (await rate({"v": v, "s": 5, "r": "Bagus"}))["rateTraining"]
    assert early["code"] == "INVALID_TRAINING_STATE"  # rated after the certificate

    await redeem(stack, m, receipt["redeemCode"], 1)
    assert (await score(m.provider, k="POST", s=70))["status"] == "IN_TRAINING"
    await partner_op(stack, REPORT_COMPLETION, v, m.provider)
    await partner_op(stack, CONFIRM_COMPLETION, v, m.platform)
    assert (await staff_op(stack, VERIFY_COMPLETION, v))["status"] == "CERTIFIED"
    assert (await rate({"v": v, "s": 0, "r": ""}))["rateTraining"]["code"] == "INVALID_ARGUMENT"
    assert (await rate({"v": v, "s": 4, "r": "Bermanfaat"}))["rateTraining"]["status"] == "CERTIFIED"
    assert (await rate({"v": v, "s": 4, "r": "Bermanfaat"}))["rateTraining"]["status"] == "CERTIFIED"  # a retry
    assert (await rate({"v": v, "s": 1, "r": "Berubah pikiran"}))["rateTraining"]["code"] == "INVALID_TRAINING_STATE"

    doc = "query { myCase { ... on Case { trainings { preTestScore postTestScore rating review } } } }"
    [shown] = (await stack.gql("participant", doc, token=token))["myCase"]["trainings"]
    assert shown == {"preTestScore": 55, "postTestScore": 70, "rating": 4, "review": "Bermanfaat"}
    staff = stack.token(Role.STAFF)
    rows = (await stack.gql("staff", OUTCOMES, {"by": "COURSE"}, token=staff))["trainingOutcomes"]
    [row] = [r for r in rows if r["key"] == m.courses["selfpaced"]["courseCode"]]
    assert row == {
        "key": m.courses["selfpaced"]["courseCode"],
        "trainings": 1,
        "averagePreTest": 55.0,
        "averagePostTest": 70.0,
        "ratings": 1,
        "averageRating": 4.0,
    }
