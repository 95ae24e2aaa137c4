"""The data the authorization matrix runs against, and a token per role.

Participant A is enrolled (domicile province X) and bought a training from platform DP, delivered by provider TP;
A filed a complaint, and staff of province X asked for two four-eyes actions on A's case. Participant B applied
from another province Y. Partners: one of each type, plus a second platform and provider (other client codes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from caseapi.shared.auth import Role
from tests.integration.helpers import apply_person, decided, fresh_clean_person, wait_for_case
from tests.integration.quality_steps import register_body, submit, through_dp_and_pmo, version_input, wait_version
from tests.integration.queries import CLOSE_WAVE, JOIN_WAVE, MY_CASE
from tests.integration.training_steps import Market, buy, card_of, market, partner_token, register
from tests.integration.wave_steps import create_wave, ready, wait_wave

ANON = "anonymous"
PA, PB = "participant_a", "participant_b"
DP, TP, JP, PP = "partner_dp", "partner_tp", "partner_jp", "partner_pp"
DP2, TP2 = "partner_dp_other", "partner_tp_other"
SX, SY, SUP = "staff_x", "staff_y", "supervisor"
AS, MO = "assessor", "monitor"
ROLES = (ANON, PA, PB, DP2, TP2, DP, TP, JP, PP, SX, SY, SUP, AS, MO)
"""Order matters a little: the other client codes act on DP's and TP's training before its owners change it."""
AUDIENCE = {"participant": {PA, PB}, "staff": {SX, SY, SUP, AS, MO}, "partner": {DP, TP, JP, PP, DP2, TP2}}
"""The roles whose token is minted for the endpoint (every other token has the wrong audience there)."""

FILE_COMPLAINT = """
mutation F($r: String!) {
  fileComplaint(category: CARD, text: "My card balance is not shown on the platform.", requestId: $r) {
    ... on Complaint { id }
  }
}"""
REQUEST_ACTION = """
mutation R($c: ID!) {
  requestAction(caseId: $c, action: RETRY_PAYOUT, reasonCode: "SYSTEM_FAULT", reason: "matrix setup",
                params: [{name: "tranche", value: "1"}]) { ... on ActionRequest { id status } ... on Error { code } }
}"""


@dataclass
class World:
    tokens: dict[str, str | None]
    market: Market
    province_x: str
    province_y: str
    case_a: str
    case_b: str
    nik_a: str
    card_a: str
    voucher_a: str
    redeem_a: str
    wave_a: str
    complaint_a: str
    request_to_approve: str
    request_to_reject: str
    purchase_key_a: str = ""
    """The platform's idempotency key of A's purchase."""
    version: dict[str, Any] = field(default_factory=dict)
    """A version of TP's course on DP, past DP and PMO, waiting for the assessor body of ``AS`` (its submission)."""
    monitor_body: str = ""
    """``MO``'s body: it monitors TP."""
    secrets: dict[str, set[str]] = field(default_factory=dict)
    """Per role: strings that must never appear in an answer to that role (other people's data)."""


def _person_outside(stack: Any, province: str) -> Any:
    while (person := fresh_clean_person(stack.population)).province_code == province:
        pass
    return person


async def _enrolled_in_own_wave(stack: Any, person: Any) -> str:
    """Apply, pass the test, join a fresh one-place wave of the person's province and be enrolled: the token."""
    token = await ready(stack, person)
    wave_id = await create_wave(stack, {person.province_code: 1})
    await wait_wave(stack, wave_id, "OPEN")
    joined = (await stack.gql("participant", JOIN_WAVE, {"id": wave_id}, token=token))["joinWave"]
    assert joined["__typename"] == "WaveHistoryEntry", joined
    closed = await stack.gql(
        "staff", CLOSE_WAVE, {"id": wave_id, "reason": "authz matrix"}, token=stack.token(Role.STAFF)
    )
    assert closed["closeWave"]["__typename"] == "Wave", closed
    await wait_wave(stack, wave_id, "ANNOUNCED")
    await wait_for_case(stack, token, lambda c: c["stage"] == "ENROLLED", within=60)
    return token


async def _version_at_assessor(stack: Any, m: Market, tag: str) -> tuple[dict[str, Any], str, str]:
    """TP's course version on DP, approved by DP and the PMO, assigned to an assessor body; and a monitoring body
    of TP (which never assesses TP's courses)."""
    monitor = f"mon-{tag}"
    await register_body(stack, f"asr-{tag}", assesses=True, monitors=False)
    await register_body(stack, monitor, assesses=True, monitors=True, providers=[m.provider])
    submission = version_input(m, f"matrix-review-{tag}")
    submitted = await submit(stack, m, submission["courseCode"])
    assert submitted["__typename"] == "CourseVersion", submitted
    await through_dp_and_pmo(stack, m, submission["courseCode"], 1)
    at = await wait_version(stack, m, submission["courseCode"], 1, lambda v: v["assessorBody"] is not None)
    return submission, at["assessorBody"], monitor


async def build_world(stack: Any) -> World:
    m = await market(stack)
    tag = uuid.uuid4().hex[:6]
    portal, payer = f"jp-{tag}", f"OVO-{tag}"  # a payment partner's code names its bank or e-wallet
    await register(stack, portal, "JOB_PORTAL")
    await register(stack, payer, "PAYMENT_PARTNER")

    person_a = fresh_clean_person(stack.population)
    token_a = await _enrolled_in_own_wave(stack, person_a)
    case_a = (await stack.gql("participant", MY_CASE, token=token_a))["myCase"]
    receipt = await buy(stack, m, token_a, "selfpaced")
    assert receipt["__typename"] == "PurchaseReceipt", receipt
    person_b = _person_outside(stack, person_a.province_code)
    _, token_b = await apply_person(stack, person_b)
    case_b = await wait_for_case(stack, token_b, decided)

    complaint = await stack.gql("participant", FILE_COMPLAINT, {"r": uuid.uuid4().hex}, token=token_a)
    x, y = person_a.province_code, person_b.province_code
    staff_x = stack.token(Role.STAFF, subject="matrix-staff-x", provinces=[x])
    requests = [
        (await stack.gql("staff", REQUEST_ACTION, {"c": case_a["id"]}, token=staff_x))["requestAction"]
        for _ in range(2)
    ]
    assert all(r.get("status") == "PENDING" for r in requests), requests

    version, assessor_body, monitor_body = await _version_at_assessor(stack, m, tag)
    tokens: dict[str, str | None] = {
        ANON: None,
        PA: token_a,
        PB: token_b,
        DP: partner_token(stack, m.platform),
        TP: partner_token(stack, m.provider),
        JP: partner_token(stack, portal),
        PP: partner_token(stack, payer),
        DP2: partner_token(stack, m.other_platform),
        TP2: partner_token(stack, m.other_provider),
        SX: staff_x,
        SY: stack.token(Role.STAFF, subject="matrix-staff-y", provinces=[y]),
        SUP: stack.token(Role.SUPERVISOR, subject="matrix-supervisor"),
        AS: stack.token(Role.ASSESSOR, subject="matrix-assessor", body=assessor_body),
        MO: stack.token(Role.MONITOR, subject="matrix-monitor", body=monitor_body),
    }
    w = World(
        tokens=tokens,
        market=m,
        province_x=x,
        province_y=y,
        case_a=case_a["id"],
        case_b=case_b["id"],
        nik_a=person_a.nik,
        card_a=await card_of(stack, token_a),
        voucher_a=receipt["voucherCode"],
        redeem_a=receipt["redeemCode"],
        purchase_key_a=receipt["idempotencyKey"],
        wave_a=case_a["waves"][0]["waveId"],
        complaint_a=complaint["fileComplaint"]["id"],
        request_to_approve=requests[0]["id"],
        request_to_reject=requests[1]["id"],
        version=version,
        monitor_body=monitor_body,
    )
    private_a = {w.case_a, w.complaint_a, w.request_to_approve, w.request_to_reject}
    training_a = {w.card_a, w.voucher_a, w.redeem_a}
    dp_courses = {c["courseCode"] for c in m.courses.values() if c["platformCode"] == m.platform}
    for role in ROLES:
        hidden: set[str] = set()
        if role not in (PA, SX, SUP):
            hidden |= private_a
        if role not in (PA, SX, SUP, DP, TP):
            hidden |= training_a
        if role not in (PB, SY, SUP):
            hidden.add(w.case_b)
        if role in (DP2, TP2):
            hidden |= dp_courses
        if role not in (DP, TP, SUP, AS, MO):  # MO's body monitors TP: it reads TP's quality timeline
            hidden.add(version["courseCode"])
        w.secrets[role] = hidden
    return w
