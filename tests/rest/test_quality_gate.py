"""The official send-otp refuses a course that is not approved or is suspended, with its own catalogue code and
nothing written (no OTP sent, no seat taken)."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from caseapi.rest import catalogue as cat
from caseapi.shared.auth import Role
from tests.integration.quality_steps import submit
from tests.integration.training_steps import card_of, enrolled, market
from tests.rest.partner_calls import SEND_OTP, refused

OPEN = """
mutation O($p: String!, $c: String) { openSanction(kind: COURSE_SUSPENSION, providerCode: $p, courseCode: $c,
  reason: "Materi tidak sesuai kurikulum.") { ... on Sanction { id } ... on Error { code } } }"""
APPROVE = "mutation A($id: Int!) { approveSanction(id: $id) { ... on Sanction { status } ... on Error { code } } }"


async def _otps(stack, case_id: str) -> int:
    async with stack.engine.connect() as conn:
        return await conn.scalar(
            text("SELECT count(*) FROM notifications WHERE case_id = :c AND kind = 'PURCHASE_OTP'"), {"c": case_id}
        )


async def test_send_otp_refuses_unapproved_and_suspended_courses_writing_nothing(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    dp, key = m.platform, m.keys[m.platform]
    pending = f"pending-{uuid.uuid4().hex[:6]}"
    assert (await submit(stack, m, pending))["status"] == "IN_REVIEW"
    order = {"prakerja_id": card, "user_platform_id": "u1", "schedule_code": "any", "amount": 900_000}
    await refused(stack.http, key, dp, SEND_OTP, {**order, "course_code": pending}, cat.COURSE_NOT_APPROVED.code)

    selfpaced = m.courses["selfpaced"]["courseCode"]
    opened = await stack.gql("staff", OPEN, {"p": m.provider, "c": selfpaced}, token=stack.token(Role.STAFF))
    sanction = opened["openSanction"]["id"]
    approved = await stack.gql("staff", APPROVE, {"id": sanction}, token=stack.token(Role.SUPERVISOR))
    assert approved["approveSanction"]["status"] == "APPROVED", approved
    suspended = {**order, "course_code": selfpaced, "amount": 1_000_000}
    await refused(stack.http, key, dp, SEND_OTP, suspended, cat.COURSE_SUSPENDED.code)
    assert await _otps(stack, case["id"]) == 0
