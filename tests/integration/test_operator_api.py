"""Operator actions through the staff API: single-step actions at once, four-eyes for revocation (the requester
cannot approve, a plain operator cannot approve, another province cannot see it, two supervisors racing carry it
out once, an expired request does nothing), and the append-only audit log."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from caseapi.shared.auth import Role
from tests.integration.training_steps import enrolled, ledger_problems

REQUEST = """
mutation R($c: ID!, $a: OperatorActionKind!, $code: String!, $r: String!, $p: [ActionParam!]) {
  requestAction(caseId: $c, action: $a, reasonCode: $code, reason: $r, params: $p) {
    __typename ... on ActionRequest { id status result needsSecondApproval requestedBy } ... on Error { code message }
  }
}"""
APPROVE = """
mutation A($id: ID!) {
  approveAction(requestId: $id) { __typename ... on ActionRequest { id status result decidedBy } ... on Error { code message } }
}"""
REJECT = """
mutation J($id: ID!, $r: String!) {
  rejectAction(requestId: $id, reason: $r) { __typename ... on ActionRequest { status } ... on Error { code message } }
}"""
PENDING = "query { pendingActions { __typename ... on ActionQueue { items { id action status } } } }"
AUDIT = """
query A($c: ID!) {
  caseAudit(caseId: $c) { __typename ... on AuditLog { items { actor action reasonCode requestId } } ... on Error { code } }
}"""
CARD = "query { myCase { ... on Case { stage card { status firstPurchaseDeadline } ledger { kind amount } } } }"


async def staff(stack, doc, variables, who: str, role: Role = Role.STAFF, provinces=None) -> dict:
    extra = {"provinces": provinces} if provinces else {}
    token = stack.token(role, subject=who, **extra)
    return next(iter((await stack.gql("staff", doc, variables, token=token)).values()))


async def card(stack, token) -> dict:
    return (await stack.gql("participant", CARD, token=token))["myCase"]


def revoke(case_id: str) -> dict:
    return {"c": case_id, "a": "REVOKE", "code": "FRAUD_SUSPECTED", "r": "card sold on a marketplace", "p": []}


async def test_four_eyes_revocation_single_step_extension_and_the_audit_log(stack):
    [(token, case), (token2, case2), (token3, case3)] = await enrolled(stack, 3)
    before = (await card(stack, token))["card"]["firstPurchaseDeadline"]

    bad = await staff(stack, REQUEST, {**revoke(case["id"]), "code": "WHIM"}, "op-a")
    assert bad["code"] == "INVALID_ARGUMENT"
    bad = await staff(stack, REQUEST, {**revoke(case["id"]), "a": "EXTEND_DEADLINE"}, "op-a")
    assert bad["code"] == "INVALID_ARGUMENT" and "days" in bad["message"]
    extend = {"c": case["id"], "a": "EXTEND_DEADLINE", "code": "SYSTEM_FAULT", "r": "platform outage",
              "p": [{"name": "days", "value": "3"}]}  # fmt: skip
    done = await staff(stack, REQUEST, extend, "op-a")
    assert done["status"] == "EXECUTED" and not done["needsSecondApproval"], done
    after = (await card(stack, token))["card"]["firstPurchaseDeadline"]
    moved = dt.datetime.fromisoformat(after) - dt.datetime.fromisoformat(before)
    assert moved == dt.timedelta(days=3) / 60  # the test scheme runs 60× faster

    asked = await staff(stack, REQUEST, revoke(case["id"]), "op-a")
    assert (asked["status"], asked["needsSecondApproval"]) == ("PENDING", True)
    rid = asked["id"]
    assert rid in [i["id"] for i in (await staff(stack, PENDING, {}, "sup-c", Role.SUPERVISOR))["items"]]
    own = await staff(stack, APPROVE, {"id": rid}, "op-a", Role.SUPERVISOR)
    assert own["code"] == "FOUR_EYES_REQUIRED" and "own" in own["message"]
    plain = await staff(stack, APPROVE, {"id": rid}, "op-b")
    assert plain["code"] == "FOUR_EYES_REQUIRED"
    elsewhere = await staff(stack, APPROVE, {"id": rid}, "sup-x", Role.SUPERVISOR, provinces=["99"])
    assert elsewhere["code"] == "REQUEST_NOT_FOUND"
    assert (await card(stack, token))["card"]["status"] == "ACTIVE"  # nothing happened yet

    approved = await staff(stack, APPROVE, {"id": rid}, "sup-c", Role.SUPERVISOR)
    assert (approved["status"], approved["decidedBy"]) == ("EXECUTED", "sup-c"), approved
    again = await staff(stack, APPROVE, {"id": rid}, "sup-d", Role.SUPERVISOR)
    assert again["code"] == "FOUR_EYES_REQUIRED"
    shown = await card(stack, token)
    assert shown["stage"] == "REVOKED" and [e["kind"] for e in shown["ledger"]] == ["CREDIT", "FORFEIT"]

    # Two supervisors approve the same request at once: carried out exactly once.
    rid2 = (await staff(stack, REQUEST, revoke(case2["id"]), "op-a"))["id"]
    results = await asyncio.gather(
        staff(stack, APPROVE, {"id": rid2}, "sup-c", Role.SUPERVISOR),
        staff(stack, APPROVE, {"id": rid2}, "sup-d", Role.SUPERVISOR),
    )
    assert sorted(r.get("status") or r["code"] for r in results) == ["EXECUTED", "FOUR_EYES_REQUIRED"]
    assert [e["kind"] for e in (await card(stack, token2))["ledger"]] == ["CREDIT", "FORFEIT"]

    # An expired request does nothing.
    rid3 = (await staff(stack, REQUEST, revoke(case3["id"]), "op-a"))["id"]
    async with stack.engine.begin() as conn:
        await conn.execute(
            text("UPDATE operator_requests SET expires_at = now() - interval '1 minute' WHERE id = :i"), {"i": rid3}
        )
    late = await staff(stack, APPROVE, {"id": rid3}, "sup-c", Role.SUPERVISOR)
    assert late["code"] == "FOUR_EYES_REQUIRED" and "expired" in late["message"]
    assert (await staff(stack, REJECT, {"id": rid3, "r": "x"}, "sup-c", Role.SUPERVISOR))["code"]
    assert rid3 not in [i["id"] for i in (await staff(stack, PENDING, {}, "sup-c", Role.SUPERVISOR))["items"]]
    assert (await card(stack, token3))["card"]["status"] == "ACTIVE"

    log = (await staff(stack, AUDIT, {"c": case["id"]}, "op-a"))["items"]
    assert [(x["actor"], x["action"]) for x in log] == [
        ("staff:op-a", "EXTEND_DEADLINE_REQUESTED"),
        ("staff:op-a", "EXTEND_DEADLINE_EXECUTED"),
        ("staff:op-a", "REVOKE_REQUESTED"),
        ("supervisor:sup-c", "REVOKE_APPROVED"),
        ("supervisor:sup-c", "REVOKE_EXECUTED"),
    ]
    hidden = await staff(stack, AUDIT, {"c": case["id"]}, "op-y", provinces=["99"])
    assert hidden["code"] == "CASE_NOT_FOUND"
    with pytest.raises(DBAPIError, match="append-only"):
        async with stack.engine.begin() as conn:
            await conn.execute(text("DELETE FROM audit_log WHERE case_id = :c"), {"c": case["id"]})
    assert await ledger_problems(stack) == []
