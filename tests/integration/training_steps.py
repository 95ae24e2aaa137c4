"""Steps shared by enrollment and training tests: partners, a catalogue, enrolled participants, OTPs."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from caseapi.shared.auth import Role
from tests.integration.helpers import wait_for_case
from tests.integration.queries import MY_CASE
from tests.integration.training_queries import MY_TRAINING, PURCHASE, REGISTER_PARTNER, REQUEST_OTP, STAFF_UPSERT_COURSE
from tests.integration.wave_steps import selected_participants


@dataclass
class Market:
    platform: str
    provider: str
    other_platform: str
    other_provider: str
    keys: dict[str, str]
    courses: dict[str, dict[str, Any]] = field(default_factory=dict)


def partner_token(stack: Any, client_code: str) -> str:
    return stack.token(Role.PARTNER, subject=client_code, client_code=client_code)


async def register(stack: Any, code: str, kind: str) -> str:
    staff = stack.token(Role.STAFF)
    done = await stack.gql("staff", REGISTER_PARTNER, {"code": code, "name": code, "type": kind}, token=staff)
    assert done["registerPartner"]["__typename"] == "PartnerRegistered", done
    return done["registerPartner"]["signKey"]


async def market(stack: Any) -> Market:
    """Two platforms, two providers and a catalogue: a webinar (one session now, one in three days), self-paced
    courses at 1.0M and the whole 3.5M balance, one above any balance, and the other platform's course."""
    tag = uuid.uuid4().hex[:6]
    m = Market(f"dp-{tag}", f"lpk-{tag}", f"dp2-{tag}", f"lpk2-{tag}", {})
    for code, kind in (
        (m.platform, "DIGITAL_PLATFORM"),
        (m.provider, "TRAINING_PROVIDER"),
        (m.other_platform, "DIGITAL_PLATFORM"),
        (m.other_provider, "TRAINING_PROVIDER"),
    ):
        m.keys[code] = await register(stack, code, kind)
    now = dt.datetime.now(dt.UTC)
    for name, price, mode, sessions, platform in (
        ("webinar", 1_500_000, "WEBINAR", [now + dt.timedelta(minutes=20), now + dt.timedelta(days=3)], m.platform),
        ("selfpaced", 1_000_000, "SELF_PACED", [], m.platform),
        ("full", 3_500_000, "SELF_PACED", [], m.platform),
        ("dear", 4_000_000, "SELF_PACED", [], m.platform),
        ("elsewhere", 500_000, "SELF_PACED", [], m.other_platform),
    ):
        course = {
            "courseCode": f"{name}-{tag}",
            "title": f"Pelatihan {name}",
            "providerCode": m.provider,
            "platformCode": platform,
            "price": price,
            "mode": mode,
            "category": "Digital Marketing",
            "sessions": [s.isoformat() for s in sessions],
        }
        saved = await stack.gql("staff", STAFF_UPSERT_COURSE, {"input": course}, token=stack.token(Role.STAFF))
        assert saved["upsertCourse"]["__typename"] == "Course", saved
        m.courses[name] = course
    return m


async def enrolled(stack: Any, n: int) -> list[tuple[str, dict]]:
    """``n`` participants selected in a wave and enrolled by their workflows: (token, myCase)."""
    tokens = await selected_participants(stack, n)
    for t in tokens:
        await wait_for_case(stack, t, lambda c: c["stage"] == "ENROLLED")
    return [(t, (await stack.gql("participant", MY_TRAINING, token=t))["myCase"]) for t in tokens]


async def card_of(stack: Any, token: str) -> str:
    case = await stack.gql("participant", "query { myCase { ... on Case { card { number } } } }", token=token)
    return case["myCase"]["card"]["number"]


async def latest_otp(stack: Any, case_id: str) -> str:
    """The OTP as the participant reads it from their SMS (the outbox row the gateway sends)."""
    async with stack.engine.connect() as conn:
        body = await conn.scalar(
            text(
                "SELECT body FROM notifications WHERE case_id = :c AND kind = 'PURCHASE_OTP' ORDER BY id DESC LIMIT 1"
            ),
            {"c": case_id},
        )
    match = re.search(r"\b(\d{6})\b", body or "")
    assert match, body
    return match.group(1)


async def request_otp(stack: Any, m: Market, card: str, course: str, *, platform: str | None = None) -> dict:
    c = m.courses[course]
    result = await stack.gql(
        "partner",
        REQUEST_OTP,
        {"card": card, "course": c["courseCode"], "price": c["price"], "rid": uuid.uuid4().hex},
        token=partner_token(stack, platform or m.platform),
    )
    return result["requestPurchaseOtp"]


async def buy(
    stack: Any, m: Market, token: str, course: str, *, key: str | None = None, otp: str | None = None, price=None
) -> dict:
    """Request an OTP, read it like the participant, and buy on the platform with an idempotency key."""
    card = await card_of(stack, token)
    case_id = (await stack.gql("participant", MY_CASE, token=token))["myCase"]["id"]
    if otp is None:
        sent = await request_otp(stack, m, card, course)
        if sent["__typename"] != "OtpChallengeSent":
            return sent  # refused before the purchase (unfinished training, balance…)
    c = m.courses[course]
    inp = {
        "cardNumber": card,
        "courseCode": c["courseCode"],
        "price": c["price"] if price is None else price,
        "otp": otp or await latest_otp(stack, case_id),
        "idempotencyKey": key or uuid.uuid4().hex,
    }
    return (await stack.gql("partner", PURCHASE, {"input": inp}, token=partner_token(stack, m.platform)))[
        "purchaseTraining"
    ]


async def ledger_problems(stack: Any) -> list[str]:
    """The ledger invariants over every card: balance never negative, each debit backed by a voucher, each card's
    credits + refunds = debits + forfeits + remaining, and the case's shown balance equals the ledger's."""
    from domain.enrollment.ledger import EntryKind, LedgerEntry, invariant_violations

    problems: list[str] = []
    async with stack.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT case_id, entry_key, kind, amount, at, reference FROM ledger_entries ORDER BY id")
            )
        ).all()
        vouchers = set((await conn.execute(text("SELECT voucher_code FROM vouchers"))).scalars())
        shown = dict(
            (await conn.execute(text("SELECT case_id, balance FROM cases WHERE card_number IS NOT NULL"))).all()
        )
    by_case: dict[str, list[LedgerEntry]] = {}
    for r in rows:
        by_case.setdefault(r.case_id, []).append(
            LedgerEntry(r.entry_key, EntryKind(r.kind), r.amount, r.at, r.reference)
        )
    for case_id, entries in by_case.items():
        problems += [f"{case_id[:8]}: {p}" for p in invariant_violations(entries)]
        sums = {k: sum(e.amount for e in entries if e.kind is k) for k in EntryKind}
        remaining = sums[EntryKind.CREDIT] + sums[EntryKind.REFUND] - sums[EntryKind.DEBIT] - sums[EntryKind.FORFEIT]
        if case_id in shown and shown[case_id] != remaining:
            problems.append(f"{case_id[:8]}: case shows {shown[case_id]}, ledger says {remaining}")
        problems += [
            f"{case_id[:8]}: debit {e.entry_key} has no voucher"
            for e in entries
            if e.kind is EntryKind.DEBIT and e.reference not in vouchers
        ]
    return problems


async def certified(stack: Any, m: Market, token: str) -> str:
    """Buy the self-paced course, redeem, complete, confirm, and have staff verify: the voucher code."""
    from tests.integration.training_queries import CONFIRM_COMPLETION, REDEEM, REPORT_COMPLETION, VERIFY_COMPLETION

    receipt = await buy(stack, m, token, "selfpaced")
    assert receipt["__typename"] == "PurchaseReceipt", receipt
    voucher = receipt["voucherCode"]
    redeem = {"code": receipt["redeemCode"], "key": uuid.uuid4().hex, "seq": 1, "type": None}
    await stack.gql("partner", REDEEM, redeem, token=partner_token(stack, m.provider))
    await stack.gql("partner", REPORT_COMPLETION, {"v": voucher}, token=partner_token(stack, m.provider))
    await stack.gql("partner", CONFIRM_COMPLETION, {"v": voucher}, token=partner_token(stack, m.platform))
    done = await stack.gql("staff", VERIFY_COMPLETION, {"v": voucher}, token=stack.token(Role.STAFF))
    assert done["verifyCompletion"]["status"] == "CERTIFIED", done
    return voucher
