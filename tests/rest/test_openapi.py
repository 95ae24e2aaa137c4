"""docs/partner-api/openapi.yaml: committed as built, served by the app, and the server's answers match it."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import yaml

from partnerkit.openapi import build, dump, validate
from tests.integration.training_steps import buy, card_of, enrolled, latest_otp, market
from tests.rest.partner_calls import (
    AUTHORIZE,
    BASE,
    PAY_STATUS,
    QUOTA,
    REDEEM_COMMIT,
    REDEEM_RESET,
    REDEEM_STATUS,
    SEND_OTP,
    URL_GENERATE,
    VOID,
    post,
)
from tests.rest.test_payment_flow import schedule

FILE = Path(__file__).parents[2] / "docs" / "partner-api" / "openapi.yaml"


def test_committed_file_is_what_the_contract_builds():
    assert FILE.read_text() == dump(), "regenerate: python -m partnerkit.openapi > docs/partner-api/openapi.yaml"
    spec = yaml.safe_load(FILE.read_text())
    assert spec["openapi"] == "3.1.0" and len(spec["paths"]) == 12


def test_validator_catches_wrong_types():
    spec = build()
    ok = spec["paths"][REDEEM_STATUS]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert validate(ok, {"success": True, "message": "OK", "data": {"status": "UNUSED"}}, spec)


async def test_served_and_every_answer_matches_it(stack):
    served = await stack.http.get("/api/v1/integration/openapi.yaml")
    assert served.status_code == 200 and served.text == FILE.read_text()
    spec = yaml.safe_load(served.text)
    m = await market(stack)
    [(token, case), (token2, _)] = await enrolled(stack, 2)
    dp, key = m.platform, m.keys[m.platform]
    lpk, lkey = m.provider, m.keys[m.provider]
    course = m.courses["selfpaced"]
    sched = await schedule(stack, m, starts_in=dt.timedelta(days=2))
    invoice = f"OA-{uuid.uuid4().hex[:6]}"
    answers = []

    async def call(path, body, signer=(dp, key), **how):
        response = await post(stack.http, signer[1], signer[0], path, body, **how)
        answers.append((path, response.status_code, response.json()))
        return response.json()

    ask = {"course_code": course["courseCode"], "schedule_code": sched}
    await call(QUOTA, ask)
    await call(QUOTA, {**ask, "schedule_code": ""})
    order = {**ask, "prakerja_id": await card_of(stack, token), "user_platform_id": "u", "amount": course["price"]}
    payment_token = (await call(SEND_OTP, order))["data"]["payment_token"]
    pay = {"otp": await latest_otp(stack, case["id"]), "invoice_url": "https://dp/x", "invoice_code": invoice}
    receipt = await call(AUTHORIZE, pay, authorization=f"Payment {payment_token}")
    await call(AUTHORIZE, pay, authorization="Payment nope")
    await call(PAY_STATUS, {"invoice_code": invoice})
    await call(VOID, {"invoice_code": invoice, "transaction_code": receipt["data"]["transaction_code"]})
    await call(VOID, {"invoice_code": invoice, "transaction_code": receipt["data"]["transaction_code"]})
    code = (await buy(stack, m, token2, "selfpaced"))["redeemCode"]
    lp = (lpk, lkey)
    await call(REDEEM_STATUS, {"redeem_code": code}, lp)
    await call(URL_GENERATE, {"redeem_code": code, "redirect_uri": "https://l/cb", "email": "a@b.id"}, lp)
    await call(REDEEM_COMMIT, {"redeem_code": code, "sequence": 1}, lp)
    await call(REDEEM_STATUS, {"redeem_code": code}, lp)
    await call(REDEEM_RESET, {"redeem_code": code}, lp)
    task = {"redeem_code": code, "scope": "tpm", "sequence": 1}
    await call(f"{BASE}/tpm/submission/status", task, lp)  # no task open: 0 / 0
    await call(f"{BASE}/tpm/submission", {**task, "url_file": "https://l/t.md"}, lp)  # ERRTPM40002
    await call(f"{BASE}/tpm/feedback/submission", {**task, "notes": "n"}, lp)  # ERRTPM40002
    assert {p for p, _, _ in answers} == set(spec["paths"])
    for path, status, body in answers:
        responses = spec["paths"][path]["post"]["responses"]
        assert str(status) in responses, (path, status)
        schema = responses[str(status)]["content"]["application/json"]["schema"]
        assert validate(schema, body, spec) == [], (path, status, body)
