"""The official LP flow over REST against the real stack: url-generate → the participant confirms on the console
page → redeem-code status shows attendance_status 1 → commit (older flow); ledger invariants after each test."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from caseapi.rest import catalogue as cat
from caseapi.shared import attendance_link
from tests.integration.training_steps import buy, enrolled, ledger_problems, market
from tests.rest.partner_calls import REDEEM_COMMIT, REDEEM_RESET, REDEEM_STATUS, URL_GENERATE, ok, refused

CONFIRM = """mutation($link: String!) { confirmAttendance(link: $link) { __typename
  ... on AttendanceConfirmed { redeemCode sequence redirectUrl } ... on Error { code message } } }"""


@pytest.fixture(autouse=True)
async def invariants(stack):
    yield
    from tests.rest.test_payment_flow import quota_problems

    assert await ledger_problems(stack) == []
    assert await quota_problems(stack) == []


async def confirm(stack, token, link):
    return (await stack.gql("participant", CONFIRM, {"link": link}, token=token))["confirmAttendance"]


async def test_url_generate_participant_confirms_then_status_and_commit(stack):
    m = await market(stack)
    [(token, _), (other_token, _)] = await enrolled(stack, 2)
    receipt = await buy(stack, m, token, "selfpaced")
    code = receipt["redeemCode"]
    lpk, key = m.provider, m.keys[m.provider]

    before = await ok(stack.http, key, lpk, REDEEM_STATUS, {"redeem_code": code, "sequence": 1})
    assert (before.status, before.attendance_status, before.redeem_at) == (0, 0, None)
    ask = {"redeem_code": code, "redirect_uri": "https://lpk.example/cb?x=1&y=<2>", "email": "p@lpk.example"}
    generated = await ok(stack.http, key, lpk, URL_GENERATE, ask)  # no sequence: 1 (§10 #5)
    assert generated.course.type == 1 and generated.course.learning_method == "online"
    page = urlsplit(generated.url)
    assert page.path == "/attendance.html" and page.fragment

    refusal = await confirm(stack, other_token, page.fragment)  # someone else's link
    assert refusal["code"] == "FORBIDDEN", refusal
    done = await confirm(stack, token, page.fragment)
    assert done["__typename"] == "AttendanceConfirmed", done
    back = urlsplit(done["redirectUrl"])
    assert back.netloc == "lpk.example" and parse_qs(back.query)["state"] == [generated.state]
    assert await confirm(stack, token, page.fragment) == done  # the same link again: the first answer

    after = await ok(stack.http, key, lpk, REDEEM_STATUS, {"redeem_code": code, "sequence": 1})
    assert (after.status, after.attendance_status, after.sequence) == (1, 1, 1)
    assert dt.datetime.strptime(after.redeem_at, "%Y-%m-%dT%H:%M:%SZ").year >= 2026
    assert (after.course_type, after.course_type_label, after.is_online_attendance) == (1, "Mandiri", True)

    committed = await ok(stack.http, key, lpk, REDEEM_COMMIT, {"redeem_code": code, "sequence": 2}, spaced=True)
    assert (committed.status, committed.attendance_status, committed.sequence) == (1, 1, 2)
    await refused(stack.http, key, lpk, REDEEM_COMMIT, {"redeem_code": code, "sequence": 1}, cat.CODE_ALREADY_USED.code)


async def test_url_generate_refusals_and_forged_links(stack):
    m = await market(stack)
    [(token, _)] = await enrolled(stack, 1)
    code = (await buy(stack, m, token, "selfpaced"))["redeemCode"]
    lpk, key = m.provider, m.keys[m.provider]
    ask = {"redeem_code": code, "redirect_uri": "https://lpk.example/cb", "email": "p@lpk.example", "sequence": 1}
    other, other_key = m.other_provider, m.keys[m.other_provider]
    await refused(stack.http, other_key, other, URL_GENERATE, ask, cat.CODE_OF_OTHER_PROVIDER.code)
    await refused(stack.http, key, lpk, URL_GENERATE, {**ask, "redeem_code": "NOPE"}, cat.REDEEM_CODE_NOT_FOUND.code)
    await refused(
        stack.http, key, lpk, URL_GENERATE, {**ask, "redirect_uri": "javascript:alert(1)"}, cat.INVALID_REDIRECT.code
    )
    await refused(stack.http, key, lpk, URL_GENERATE, {**ask, "email": ""}, cat.REQUIRED_EMPTY.code)
    await refused(stack.http, key, lpk, URL_GENERATE, {**ask, "sequence": "1"}, cat.INVALID_BODY.code)
    await refused(stack.http, key, lpk, REDEEM_RESET, {"redeem_code": code}, cat.NOT_SANDBOX_CODE.code)

    generated = await ok(stack.http, key, lpk, URL_GENERATE, ask)
    token_part = urlsplit(generated.url).fragment
    forged = token_part[:-3] + ("AAA" if not token_part.endswith("AAA") else "BBB")
    assert (await confirm(stack, token, forged))["code"] == "INVALID_ARGUMENT"
    secret = stack.settings.blind_index_key.reveal().encode()
    expired = attendance_link.mint(
        secret,
        attendance_link.AttendanceClaims(
            code, lpk, 1, "https://lpk.example/cb", "s", int(dt.datetime.now(dt.UTC).timestamp()) - 1
        ),
    )
    assert (await confirm(stack, token, expired))["code"] == "INVALID_ARGUMENT"
    still = await ok(stack.http, key, lpk, REDEEM_STATUS, {"redeem_code": code})
    assert (still.status, still.attendance_status) == (0, 0)


async def test_url_generate_one_email_per_training(stack):
    """partner-api.md §5.1: one e-mail may not be used twice for the same training, but may be reused across
    trainings; the same participant sends it again for every session."""
    m = await market(stack)
    [(first, _), (second, _), (third, _)] = await enrolled(stack, 3)
    code_a = (await buy(stack, m, first, "selfpaced"))["redeemCode"]
    code_b = (await buy(stack, m, second, "selfpaced"))["redeemCode"]
    code_c = (await buy(stack, m, third, "webinar"))["redeemCode"]
    lpk, key = m.provider, m.keys[m.provider]
    ask = {"redirect_uri": "https://lpk.example/cb", "email": "budi@lpk.example"}

    await ok(stack.http, key, lpk, URL_GENERATE, {**ask, "redeem_code": code_a})
    await ok(stack.http, key, lpk, URL_GENERATE, {**ask, "redeem_code": code_a, "sequence": 2})  # the same person
    for used in ("budi@lpk.example", " Budi@LPK.example "):  # another participant, the same training
        message = await refused(
            stack.http, key, lpk, URL_GENERATE, {**ask, "email": used, "redeem_code": code_b},
            cat.EMAIL_USED_FOR_TRAINING.code,
        )  # fmt: skip
        assert message == cat.EMAIL_USED_FOR_TRAINING.message
    await ok(stack.http, key, lpk, URL_GENERATE, {**ask, "redeem_code": code_c})  # another training: reusable
    await ok(stack.http, key, lpk, URL_GENERATE, {**ask, "email": "sari@lpk.example", "redeem_code": code_b})
    await ok(stack.http, key, lpk, URL_GENERATE, {**ask, "email": "budi2@lpk.example", "redeem_code": code_a})

    async with stack.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT email_digest, case_id FROM attendance_emails"))).all()
    assert stored and all("@" not in row.email_digest and len(row.email_digest) == 64 for row in stored)
