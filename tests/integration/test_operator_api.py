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
from tests.workflows.test_replay import replay_and_maybe_record

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
    async with stack.engine.connect() as conn:
        listed = "SELECT count(*) FROM blacklist WHERE nik_index = :c"
        assert await conn.scalar(text(listed), {"c": case["id"]}) == 1

    # Reinstated (four-eyes): active again, the balance restored, a fresh deadline, off the blacklist.
    back = {**revoke(case["id"]), "a": "REINSTATE", "code": "DATA_ERROR", "r": "the marketplace ad was not theirs"}
    asked = await staff(stack, REQUEST, back, "op-b")
    assert asked["status"] == "PENDING"
    done = await staff(stack, APPROVE, {"id": asked["id"]}, "sup-c", Role.SUPERVISOR)
    assert done["status"] == "EXECUTED" and "restored" in done["result"], done
    shown = await card(stack, token)
    assert shown["stage"] == "ENROLLED" and shown["card"]["status"] == "ACTIVE"
    assert [(e["kind"], e["amount"]) for e in shown["ledger"]] == [
        ("CREDIT", 3_500_000),
        ("FORFEIT", 3_500_000),
        ("REFUND", 3_500_000),
    ]
    fresh = dt.datetime.fromisoformat(shown["card"]["firstPurchaseDeadline"]) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=5, minutes=50) < fresh <= dt.timedelta(days=15) / 60  # a new 15-day deadline
    async with stack.engine.connect() as conn:
        assert await conn.scalar(text(listed), {"c": case["id"]}) == 0
    twice = await staff(stack, REQUEST, back, "op-b")  # an active card cannot be reinstated again
    failed = await staff(stack, APPROVE, {"id": twice["id"]}, "sup-c", Role.SUPERVISOR)
    assert failed["status"] == "FAILED" and failed["result"].startswith("ACTION_NOT_APPLICABLE")

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
        ("staff:op-b", "REINSTATE_REQUESTED"),
        ("supervisor:sup-c", "REINSTATE_APPROVED"),
        ("supervisor:sup-c", "REINSTATE_EXECUTED"),
        ("staff:op-b", "REINSTATE_REQUESTED"),
        ("supervisor:sup-c", "REINSTATE_APPROVED"),
        ("supervisor:sup-c", "REINSTATE_FAILED"),
    ]
    hidden = await staff(stack, AUDIT, {"c": case["id"]}, "op-y", provinces=["99"])
    assert hidden["code"] == "CASE_NOT_FOUND"
    with pytest.raises(DBAPIError, match="append-only"):
        async with stack.engine.begin() as conn:
            await conn.execute(text("DELETE FROM audit_log WHERE case_id = :c"), {"c": case["id"]})
    assert await ledger_problems(stack) == []
    # The operator stage in the replay corpus: an extension, a revocation and a reinstatement.
    await replay_and_maybe_record(stack.client, f"participant-{case['id']}", "participant_operator")


PROFILE = "query { myCase { ... on Case { application { email domicile { street } } notifications { kind } } } }"


async def test_single_step_actions_correct_the_profile_and_resend_and_refusals_are_recorded(stack):
    [(token, case)] = await enrolled(stack, 1)

    def act(action: str, **params: str) -> dict:
        return {
            "c": case["id"],
            "a": action,
            "code": "PARTICIPANT_REQUEST",
            "r": "asked at the call centre",
            "p": [{"name": k, "value": v} for k, v in params.items()],
        }

    done = await staff(stack, REQUEST, act("CORRECT_PROFILE", field="email", value="baru@example.id"), "cc-1")
    assert done["status"] == "EXECUTED", done
    street = await staff(stack, REQUEST, act("CORRECT_PROFILE", field="street", value="Jl. Melati 5"), "cc-1")
    assert street["status"] == "EXECUTED"
    identity = await staff(stack, REQUEST, act("CORRECT_PROFILE", field="nik", value="x"), "cc-1")
    assert identity["code"] == "INVALID_ARGUMENT" and "Dukcapil" in identity["message"]
    resent = await staff(stack, REQUEST, act("RESEND_NOTIFICATION", kind="ENROLLED"), "cc-1")
    assert resent["status"] == "EXECUTED"
    nothing = await staff(stack, REQUEST, act("RESEND_NOTIFICATION", kind="CLAWBACK"), "cc-1")
    assert nothing["status"] == "FAILED" and nothing["result"].startswith("ACTION_NOT_APPLICABLE")
    shown = (await stack.gql("participant", PROFILE, token=token))["myCase"]
    assert shown["application"] == {"email": "baru@example.id", "domicile": {"street": "Jl. Melati 5"}}
    assert [n["kind"] for n in shown["notifications"]].count("ENROLLED") == 4  # SMS + e-mail, twice

    retry = await staff(stack, REQUEST, act("RETRY_PAYOUT", tranche="1"), "cc-1")
    assert retry["status"] == "PENDING" and retry["needsSecondApproval"]
    refused = await staff(stack, APPROVE, {"id": retry["id"]}, "sup-c", Role.SUPERVISOR)
    assert refused["status"] == "FAILED" and "failed or waiting incentive" in refused["result"]
