"""The official DP purchase over REST against the real stack: quota → send-otp → authorize → status → void,
with the documented errors, and ledger and quota invariants after each test."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from caseapi.rest import catalogue as cat
from domain.training.schedules import Requirements, Schedule
from tests.integration.training_steps import card_of, enrolled, latest_otp, ledger_problems, market
from tests.rest.partner_calls import (
    AUTHORIZE,
    PAY_STATUS,
    QUOTA,
    REDEEM_STATUS,
    SEND_OTP,
    VOID,
    ok,
    post,
    refused,
)


async def quota_problems(stack) -> list[str]:
    """Each schedule's taken seats = its live (unreleased) seats with a voucher, within 0..quota."""
    async with stack.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT s.schedule_code, s.quota, s.taken, count(seat.voucher_code) FILTER "
                    "(WHERE seat.released_at IS NULL) AS live FROM course_schedules s "
                    "LEFT JOIN schedule_seats seat ON seat.schedule_code = s.schedule_code GROUP BY s.schedule_code"
                )
            )
        ).all()
    return [f"{r.schedule_code}: taken {r.taken}, live {r.live}, quota {r.quota}" for r in rows if r.taken != r.live]


@pytest.fixture(autouse=True)
async def invariants(stack):
    yield
    assert await ledger_problems(stack) == []
    assert await quota_problems(stack) == []


async def schedule(stack, m, course="selfpaced", *, quota=2, starts_in=dt.timedelta(days=3)) -> str:
    code = f"sch-{uuid.uuid4().hex[:10]}"
    start = dt.datetime.now(dt.UTC) + starts_in
    plan = Schedule(code, m.courses[course]["courseCode"], start, start + dt.timedelta(hours=3), quota)
    await stack.partner_api.upsert_schedule(plan)
    return code


async def test_whole_dp_purchase_then_void(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    dp, key = m.platform, m.keys[m.platform]
    course = m.courses["selfpaced"]
    sched = await schedule(stack, m, quota=2)
    ask = {"course_code": course["courseCode"], "schedule_code": sched}

    assert (await ok(stack.http, key, dp, QUOTA, ask)).quota == 2
    order = {**ask, "prakerja_id": card, "user_platform_id": "user-77", "amount": course["price"]}
    token_data = await ok(stack.http, key, dp, SEND_OTP, order, spaced=True)  # the Python sample's spacing
    invoice = f"INV-{uuid.uuid4().hex[:8]}"
    pay = {
        "otp": await latest_otp(stack, case["id"]),
        "invoice_url": f"https://dp.example/{invoice}",
        "invoice_code": invoice,
    }
    auth = f"Payment {token_data.payment_token}"
    receipt = await ok(stack.http, key, dp, AUTHORIZE, pay, authorization=auth, slot=True)  # Go's slot form
    assert (receipt.invoice_code, receipt.amount, receipt.status) == (invoice, course["price"], "SUCCESS")
    assert receipt.prakerja_name.endswith("***") or " " not in receipt.prakerja_name
    again = await ok(stack.http, key, dp, AUTHORIZE, pay, authorization=auth)  # a retry: the same purchase
    assert again.transaction_code == receipt.transaction_code
    assert (await ok(stack.http, key, dp, QUOTA, ask)).quota == 1

    status = await ok(stack.http, key, dp, PAY_STATUS, {"invoice_code": invoice})
    assert (status.transaction_code, status.amount, status.status) == (
        receipt.transaction_code,
        course["price"],
        "SUCCESS",
    )
    assert dt.datetime.strptime(status.created_at, "%Y-%m-%dT%H:%M:%SZ").year >= 2026

    # the LP sees the purchase's schedule on its redeem code
    async with stack.engine.connect() as conn:
        redeem_code = await conn.scalar(
            text("SELECT redeem_code FROM vouchers WHERE invoice_code = :t"), {"t": receipt.transaction_code}
        )
    lp = await ok(stack.http, m.keys[m.provider], m.provider, REDEEM_STATUS, {"redeem_code": redeem_code})
    assert (lp.schedule_code, lp.status, lp.attendance_status, lp.redeem_at, lp.course_type) == (sched, 0, 0, None, 1)
    assert lp.invoice_code == receipt.transaction_code and lp.schedule_start_end.count("Z") == 2

    await refused(stack.http, key, dp, VOID, {"invoice_code": invoice, "transaction_code": "nope"}, "ERRVOD40001")
    void = await post(
        stack.http, key, dp, VOID, {"invoice_code": invoice, "transaction_code": receipt.transaction_code}
    )
    assert void.status_code == 200 and void.json() == {"success": True, "message": "Transaksi berhasil dibatalkan."}
    await refused(
        stack.http,
        key,
        dp,
        VOID,
        {"invoice_code": invoice, "transaction_code": receipt.transaction_code},
        "ERRPLT40028",
    )
    assert (await ok(stack.http, key, dp, QUOTA, ask)).quota == 2  # the seat came back
    assert (await ok(stack.http, key, dp, PAY_STATUS, {"invoice_code": invoice})).status == "CANCELLED"
    lp = await ok(stack.http, m.keys[m.provider], m.provider, REDEEM_STATUS, {"redeem_code": redeem_code})
    assert lp.status == 2


async def test_send_otp_checks_in_the_documented_order(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    dp, key = m.platform, m.keys[m.platform]
    course = m.courses["selfpaced"]
    base = {
        "prakerja_id": card,
        "user_platform_id": "u1",
        "course_code": course["courseCode"],
        "amount": course["price"],
    }

    async def send(code, **change):
        return await refused(stack.http, key, dp, SEND_OTP, {**base, **change}, code)

    await send(cat.REQUIRED_EMPTY.code, schedule_code="")
    await refused(stack.http, key, dp, QUOTA, {"course_code": course["courseCode"]}, "ERRPLT40036")
    await send(cat.SCHEDULE_NOT_FOUND.code, schedule_code="no-such-schedule")
    other = await schedule(stack, m, "full")
    await send(cat.SCHEDULE_MISMATCH.code, schedule_code=other)
    started = await schedule(stack, m, starts_in=-dt.timedelta(minutes=5))
    await send(cat.SCHEDULE_STARTED.code, schedule_code=started)
    full = await schedule(stack, m, quota=0)
    await send(cat.SCHEDULE_FULL.code, schedule_code=full)
    sched = await schedule(stack, m)
    await send(cat.PRICE_MISMATCH.code, schedule_code=sched, amount=course["price"] - 1)
    await send(cat.INVALID_BODY.code, schedule_code=sched, amount=str(course["price"]))
    await send(cat.CARD_NOT_FOUND.code, schedule_code=sched, prakerja_id="0000000000000000")
    form = (await stack.store.by_id(case["id"])).application
    await stack.partner_api.set_requirements(course["courseCode"], Requirements(min_age=80))
    await send(cat.AGE_NOT_MET.code, schedule_code=sched)
    await stack.partner_api.set_requirements(course["courseCode"], Requirements(min_education="S2_S3"))
    if form.education.value != "S2_S3":
        await send(cat.EDUCATION_NOT_MET.code, schedule_code=sched)
    await stack.partner_api.set_requirements(course["courseCode"], Requirements())
    sent = await ok(stack.http, key, dp, SEND_OTP, {**base, "schedule_code": sched})
    assert sent.payment_token


async def test_authorize_refuses_bad_tokens_wrong_otp_and_a_full_schedule(stack):
    m = await market(stack)
    people = await enrolled(stack, 2)
    dp, key = m.platform, m.keys[m.platform]
    course = m.courses["selfpaced"]
    sched = await schedule(stack, m, quota=1)
    tokens = []
    for token, _ in people:
        order = {
            "prakerja_id": await card_of(stack, token),
            "user_platform_id": "u",
            "course_code": course["courseCode"],
            "schedule_code": sched,
            "amount": course["price"],
        }
        tokens.append((await ok(stack.http, key, dp, SEND_OTP, order)).payment_token)
    (_, first), (_, second) = people
    pay1 = {"otp": await latest_otp(stack, first["id"]), "invoice_url": "https://dp/1", "invoice_code": 1001}
    for bad in ("", "Bearer " + tokens[0], "Payment " + tokens[0][:-2] + "xx", "Payment " + tokens[1] + "."):
        await refused(stack.http, key, dp, AUTHORIZE, pay1, cat.INVALID_PAYMENT_TOKEN.code, 401, authorization=bad)
    other_dp = m.other_platform  # a token is bound to the platform it was issued to
    await refused(
        stack.http,
        m.keys[other_dp],
        other_dp,
        AUTHORIZE,
        pay1,
        cat.INVALID_PAYMENT_TOKEN.code,
        401,
        authorization=f"Payment {tokens[0]}",
    )
    await refused(
        stack.http,
        key,
        dp,
        AUTHORIZE,
        {**pay1, "otp": "000000" if pay1["otp"] != "000000" else "111111"},
        cat.OTP_INVALID.code,
        authorization=f"Payment {tokens[0]}",
    )
    receipt = await ok(stack.http, key, dp, AUTHORIZE, pay1, authorization=f"Payment {tokens[0]}")
    assert receipt.invoice_code == "1001"  # an integer invoice_code comes back as a string
    retry = await ok(
        stack.http, key, dp, AUTHORIZE, {**pay1, "invoice_code": "1001"}, authorization=f"Payment {tokens[0]}"
    )
    assert retry.transaction_code == receipt.transaction_code  # a retry once the schedule is full: the same receipt
    pay2 = {"otp": await latest_otp(stack, second["id"]), "invoice_url": "https://dp/2", "invoice_code": "1002"}
    await refused(stack.http, key, dp, AUTHORIZE, pay2, cat.SCHEDULE_FULL.code, authorization=f"Payment {tokens[1]}")
    await refused(stack.http, key, dp, PAY_STATUS, {"invoice_code": "1002"}, cat.INVOICE_NOT_FOUND.code)
    # another platform cannot read or void this platform's purchase
    await refused(
        stack.http, m.keys[other_dp], other_dp, PAY_STATUS, {"invoice_code": "1001"}, cat.INVOICE_NOT_FOUND.code
    )
    await refused(
        stack.http,
        m.keys[other_dp],
        other_dp,
        VOID,
        {"invoice_code": "1001", "transaction_code": receipt.transaction_code},
        "ERRVOD40001",
    )
    # a training provider is not a client of the payment endpoints
    await refused(stack.http, m.keys[m.provider], m.provider, PAY_STATUS, {"invoice_code": "1001"}, "ERRPLT40102", 401)


async def test_two_buyers_racing_for_the_last_seat_one_wins(stack):
    m = await market(stack)
    people = await enrolled(stack, 2)
    dp, key = m.platform, m.keys[m.platform]
    course = m.courses["selfpaced"]
    sched = await schedule(stack, m, quota=1)
    calls = []
    for i, (token, case) in enumerate(people):
        order = {
            "prakerja_id": await card_of(stack, token),
            "user_platform_id": f"u{i}",
            "course_code": course["courseCode"],
            "schedule_code": sched,
            "amount": course["price"],
        }
        payment_token = (await ok(stack.http, key, dp, SEND_OTP, order)).payment_token
        pay = {"otp": await latest_otp(stack, case["id"]), "invoice_url": f"https://dp/r{i}", "invoice_code": f"R-{i}"}
        calls.append(post(stack.http, key, dp, AUTHORIZE, pay, authorization=f"Payment {payment_token}"))
    answers = [r.json() for r in await asyncio.gather(*calls)]
    assert sorted(a["success"] for a in answers) == [False, True], answers
    assert [a["code"] for a in answers if not a["success"]] == [cat.SCHEDULE_FULL.code]
    assert (
        await ok(stack.http, key, dp, QUOTA, {"course_code": course["courseCode"], "schedule_code": sched})
    ).quota == 0


async def test_staff_maintain_schedules_and_requirements(stack):
    from caseapi.shared.auth import Role

    m = await market(stack)
    staff = stack.token(Role.STAFF)
    course = m.courses["selfpaced"]["courseCode"]
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
    doc = """mutation($input: ScheduleInput!) { upsertSchedule(input: $input) { __typename
      ... on CourseSchedule { scheduleCode quota taken } ... on Error { code message } } }"""
    plan = {"scheduleCode": f"st-{uuid.uuid4().hex[:8]}", "courseCode": course, "quota": 3,
            "startsAt": start.isoformat(), "endsAt": (start + dt.timedelta(hours=2)).isoformat()}  # fmt: skip
    saved = (await stack.gql("staff", doc, {"input": plan}, token=staff))["upsertSchedule"]
    assert (saved["__typename"], saved["quota"], saved["taken"]) == ("CourseSchedule", 3, 0)
    assert (await stack.partner_api.schedule(plan["scheduleCode"])).remaining == 3
    bad = (await stack.gql("staff", doc, {"input": {**plan, "quota": -1}}, token=staff))["upsertSchedule"]
    assert bad["code"] == "INVALID_ARGUMENT"
    naive_end = {**plan, "endsAt": "2030-01-01"}  # a date without a zone next to a zoned start (schemathesis found it)
    bad = (await stack.gql("staff", doc, {"input": naive_end}, token=staff))["upsertSchedule"]
    assert bad["code"] == "INVALID_ARGUMENT"
    req = """mutation($c: String!) { setCourseRequirements(courseCode: $c, minAge: 18, maxAge: 64, minEducation: SMA) {
      __typename ... on CourseRequirements { minAge maxAge minEducation } ... on Error { code } } }"""
    done = (await stack.gql("staff", req, {"c": course}, token=staff))["setCourseRequirements"]
    assert done == {"__typename": "CourseRequirements", "minAge": 18, "maxAge": 64, "minEducation": "SMA"}
    assert (await stack.partner_api.requirements(course)).min_education == "SMA"
    scoped = stack.token(Role.STAFF, provinces=["32"])
    refused_ = (await stack.gql("staff", req, {"c": course}, token=scoped))["setCourseRequirements"]
    assert refused_["__typename"] == "Forbidden"
    await stack.partner_api.set_requirements(course, Requirements())
