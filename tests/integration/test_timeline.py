"""``case(id).timeline`` of a case carried through the lifecycle: every stage appears, with the right actors,
the rules behind each decision, clawback steps and audit entries, and links into the Temporal Web UI."""

from __future__ import annotations

import uuid

from caseapi.shared.auth import Role
from domain.payouts.tranches import Provider
from tests.integration.payout_queries import LINK, mark_and_approve
from tests.integration.test_payouts_api import person_of
from tests.integration.training_queries import RATE
from tests.integration.training_steps import certified, enrolled, market

TIMELINE = """
query T($c: ID!) {
  case(id: $c) {
    ... on Case {
      timeline { at category what actor source rulesetVersion reasons runId eventId temporalUiUrl }
    }
  }
}"""
MY_TIMELINE = "query { myCase { ... on Case { timeline { what } } } }"


async def test_a_full_lifecycle_timeline_names_every_stage_and_its_actor(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    voucher = await certified(stack, m, token)
    await stack.gql("participant", RATE, {"v": voucher, "s": 5, "r": "mantap"}, token=token)
    person = person_of(stack, case["id"])
    wallet = f"0813{uuid.uuid4().int % 10**8:08d}"
    await stack.partner.open_account(Provider.OVO, wallet, person.nik, person.full_name)
    await stack.gql("participant", LINK, {"p": "OVO", "n": wallet}, token=token)
    staff = stack.token(Role.STAFF, subject="auditor-7")
    args = {"c": case["id"], "code": "INCOME_ABOVE_THRESHOLD", "r": "salary above Rp3.5M", "e": "BPK 2021"}
    assert (await mark_and_approve(stack, args))["status"] == "EXECUTED"

    events = (await stack.gql("staff", TIMELINE, {"c": case["id"]}, token=staff))["case"]["timeline"]
    seen = {(e["category"], e["what"].split(" — ")[0], e["actor"]) for e in events}
    expected = {
        ("APPLICATION", "applied", "participant"),
        ("ABILITY_TEST", "started the basic-ability test", "participant"),
        ("ABILITY_TEST", "submitted the basic-ability test", "participant"),
        ("TRAINING", "bought a training for Rp1,000,000", f"partner:{m.platform}"),
        ("TRAINING", "redeemed session 1", f"partner:{m.provider}"),
        ("TRAINING", "reported the training completed", f"partner:{m.provider}"),
        ("TRAINING", "confirmed the completion", f"partner:{m.platform}"),
        ("TRAINING", "rated a training 5 stars", "participant"),
        ("PAYOUT", "linked a OVO account", "participant"),
        ("OPERATOR", "operator action MARK_INELIGIBLE", "staff:auditor-7"),
    }
    assert expected <= seen, expected - seen
    assert any(e["what"].startswith("joined wave") and e["actor"] == "participant" for e in events)
    assert any(e["actor"] == "system:wave" for e in events)
    verified = [e for e in events if e["what"] == "verified the completion"]
    assert verified and verified[0]["actor"].startswith("staff:")
    decisions = {e["what"].split(":")[0]: e for e in events if e["source"] == "DECISION"}
    wanted = {"ELIGIBILITY PASS", "WAVE_SELECTION PASS", "INCENTIVES_SCHEDULED PASS", "INELIGIBLE_AFTER_AUDIT FAIL"}
    assert wanted <= set(decisions), set(decisions)
    assert decisions["ELIGIBILITY PASS"]["rulesetVersion"] and decisions["ELIGIBILITY PASS"]["reasons"]
    assert any(e["source"] == "CLAWBACK" and e["what"].startswith("STARTED") for e in events)
    linked = [e for e in events if e["source"] == "WORKFLOW"]
    assert all(e["temporalUiUrl"].endswith(f"/{e['runId']}/history/events/{e['eventId']}") for e in linked)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert (await stack.gql("participant", MY_TIMELINE, token=token))["myCase"]["timeline"] is None
