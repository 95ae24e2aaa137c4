"""Cards, the ledger, vouchers and certificates on a real (embedded) PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.tables import blacklist, ledger_entries, vouchers
from adapters.db.training_ledger import PgTrainingLedger
from domain.enrollment.card import is_card_number
from domain.enrollment.ledger import EntryKind, LedgerEntry, balance, invariant_violations
from domain.training.messages import RecordPurchaseInput
from domain.training.trainings import Course, Partner, PartnerType, TrainingMode

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
BALANCE = 3_500_000


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=6, max_overflow=4)
    yield eng
    await eng.dispose()


@pytest.fixture
def ledger(engine) -> PgTrainingLedger:
    return PgTrainingLedger(engine)


@pytest.fixture
def market(engine) -> PgMarketplace:
    return PgMarketplace(engine)


def new_case() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


def course(price: int = 1_000_000, code: str = "C-1") -> Course:
    return Course(code, "Belajar Excel", "LPK-1", "DP-1", price, TrainingMode.SELF_PACED, "office")


def purchase(case_id: str, card: str, key: str, price: int) -> RecordPurchaseInput:
    """Purchase keys are unique across cases: each case's keys get its own prefix."""
    return RecordPurchaseInput(
        case_id, card, f"DP-1:{case_id[:8]}-{key}", "DP-1", course(price), price, AT + timedelta(days=1)
    )


async def test_enroll_is_idempotent_and_card_numbers_unique_luhn(ledger: PgTrainingLedger, market) -> None:
    case_id = new_case()
    first = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    again = await ledger.enroll(case_id, "NORMAL", BALANCE, AT + timedelta(hours=1))
    assert first == again
    number, credit = first
    assert is_card_number(number)
    assert credit == LedgerEntry(f"{case_id}:credit", EntryKind.CREDIT, BALANCE, AT, reference="NORMAL")
    assert await market.case_by_card(number) == case_id
    assert await market.ledger(case_id) == [credit]

    others = await asyncio.gather(*(ledger.enroll(new_case(), "NORMAL", BALANCE, AT) for _ in range(20)))
    numbers = [n for n, _ in others] + [number]
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 16 and is_card_number(n) for n in numbers)


async def test_concurrent_enroll_of_one_case_issues_one_card(ledger: PgTrainingLedger, market) -> None:
    case_id = new_case()
    results = await asyncio.gather(*(ledger.enroll(case_id, "NORMAL", BALANCE, AT) for _ in range(5)))
    assert len(set(results)) == 1
    assert len(await market.ledger(case_id)) == 1


async def test_purchase_is_idempotent_on_its_key(ledger: PgTrainingLedger, market, engine) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    first = await ledger.record_purchase(purchase(case_id, card, "k1", 1_000_000))
    again = await ledger.record_purchase(purchase(case_id, card, "k1", 1_000_000))
    assert first.status == "OK"
    assert first == again
    assert first.voucher_code.startswith("VCR-") and len(first.voucher_code) == 14
    assert len(first.redeem_code) == 12 and not set(first.redeem_code) & set("0O1I")
    assert first.invoice_code.startswith("INV-20240302-") and len(first.invoice_code) == 21
    assert first.debit == LedgerEntry(
        f"{case_id}:debit:DP-1:{case_id[:8]}-k1",
        EntryKind.DEBIT,
        1_000_000,
        AT + timedelta(days=1),
        reference=first.voucher_code,
    )
    entries = await market.ledger(case_id)
    assert [e.kind for e in entries] == [EntryKind.CREDIT, EntryKind.DEBIT]
    assert balance(entries) == BALANCE - 1_000_000

    ref = await market.voucher(redeem_code=first.redeem_code)
    assert ref is not None and ref.case_id == case_id and ref.voucher_code == first.voucher_code
    assert ref.provider_code == "LPK-1" and ref.platform_code == "DP-1" and ref.purchase_key == f"DP-1:{case_id[:8]}-k1"
    assert await market.voucher(voucher_code=first.voucher_code) == ref
    assert await market.voucher_by_purchase(f"DP-1:{case_id[:8]}-k1") == ref
    assert await market.voucher(redeem_code="NOPE") is None
    assert await market.voucher(redeem_code=first.redeem_code, voucher_code="VCR-OTHER") is None

    # Another case presenting the same purchase key is a contract breach, not a replay.
    other = new_case()
    other_card, _ = await ledger.enroll(other, "NORMAL", BALANCE, AT)
    stolen = purchase(case_id, other_card, "k1", 1_000_000)
    with pytest.raises(ValueError, match="another case"):
        await ledger.record_purchase(RecordPurchaseInput(other, other_card, *_tail(stolen)))


async def test_insufficient_balance_writes_nothing(ledger: PgTrainingLedger, market, engine) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    result = await ledger.record_purchase(purchase(case_id, card, "too-much", BALANCE + 1))
    assert result.status == "INSUFFICIENT_BALANCE" and result.debit is None and not result.voucher_code
    assert len(await market.ledger(case_id)) == 1
    async with engine.connect() as conn:
        n = (await conn.execute(select(func.count()).where(vouchers.c.case_id == case_id))).scalar_one()
    assert n == 0
    assert await market.voucher_by_purchase(f"DP-1:{case_id[:8]}-too-much") is None


async def test_purchase_needs_an_active_card(ledger: PgTrainingLedger) -> None:
    assert (await ledger.record_purchase(purchase(new_case(), "", "x", 100))).status == "CARD_INACTIVE"
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    assert (await ledger.record_purchase(purchase(case_id, "5000000000000000", "x", 100))).status == "CARD_INACTIVE"
    await ledger.revoke(case_id, forfeit=None, reason="test", at=AT)
    assert (await ledger.record_purchase(purchase(case_id, card, "x", 100))).status == "CARD_INACTIVE"


async def test_concurrent_purchases_race_for_the_last_rupiah(ledger: PgTrainingLedger, market) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    results = await asyncio.gather(
        ledger.record_purchase(purchase(case_id, card, "a", BALANCE)),
        ledger.record_purchase(purchase(case_id, card, "b", BALANCE)),
    )
    assert sorted(r.status for r in results) == ["INSUFFICIENT_BALANCE", "OK"]
    entries = await market.ledger(case_id)
    assert balance(entries) == 0
    assert invariant_violations(entries) == []

    # Many buyers, room for three.
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", 3_000_000, AT)
    results = await asyncio.gather(
        *(ledger.record_purchase(purchase(case_id, card, f"k{i}", 1_000_000)) for i in range(8))
    )
    assert sum(r.status == "OK" for r in results) == 3
    entries = await market.ledger(case_id)
    assert balance(entries) == 0 and invariant_violations(entries) == []


async def test_ledger_is_append_only(ledger: PgTrainingLedger, engine) -> None:
    case_id = new_case()
    await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    for stmt in (
        ledger_entries.update().where(ledger_entries.c.case_id == case_id).values(amount=99_000_000),
        ledger_entries.delete().where(ledger_entries.c.case_id == case_id),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(stmt)
    async with engine.connect() as conn:
        amount = await conn.execute(text("SELECT amount FROM ledger_entries WHERE case_id = :c"), {"c": case_id})
        assert amount.scalar_one() == BALANCE


async def test_append_refund_and_refused_overdraft(ledger: PgTrainingLedger, market) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    bought = await ledger.record_purchase(purchase(case_id, card, "r", 1_000_000))
    await ledger.cancel_voucher(bought.voucher_code, "TRANSACTION")
    await ledger.cancel_voucher(bought.voucher_code, "VOUCHER")  # the first cancellation stands
    refund = LedgerEntry(
        f"{case_id}:refund:{bought.voucher_code}", EntryKind.REFUND, 1_000_000, AT, bought.voucher_code
    )
    assert await ledger.append(case_id, refund) == refund
    assert await ledger.append(case_id, refund) == refund
    assert balance(await market.ledger(case_id)) == BALANCE
    with pytest.raises(ValueError, match="negative"):
        await ledger.append(case_id, LedgerEntry(f"{case_id}:forfeit", EntryKind.FORFEIT, BALANCE + 1, AT))
    with pytest.raises(ValueError):
        await ledger.append(new_case(), refund)
    with pytest.raises(ValueError):
        await ledger.cancel_voucher(bought.voucher_code, "WHATEVER")
    assert len(await market.ledger(case_id)) == 3


async def test_cancel_voucher_status(ledger: PgTrainingLedger, engine) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    bought = await ledger.record_purchase(purchase(case_id, card, "c", 1_000_000))
    await ledger.cancel_voucher(bought.voucher_code, "VOUCHER")
    await ledger.cancel_voucher(bought.voucher_code, "TRANSACTION")
    async with engine.connect() as conn:
        status = await conn.execute(select(vouchers.c.status).where(vouchers.c.voucher_code == bought.voucher_code))
        assert status.scalar_one() == "CANCELLED_VOUCHER"


async def test_revoke_forfeits_and_blacklists_idempotently(ledger: PgTrainingLedger, market, engine) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    forfeit = LedgerEntry(f"{case_id}:forfeit", EntryKind.FORFEIT, BALANCE, AT + timedelta(days=30), "no purchase")
    await ledger.revoke(case_id, forfeit=forfeit, reason="NO_FIRST_PURCHASE", at=AT + timedelta(days=30))
    await ledger.revoke(case_id, forfeit=forfeit, reason="AGAIN", at=AT + timedelta(days=31))
    entries = await market.ledger(case_id)
    assert entries[-1] == forfeit and len(entries) == 2 and balance(entries) == 0
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM cards WHERE case_id = :c"), {"c": case_id})).one()
        listed = (await conn.execute(select(blacklist).where(blacklist.c.nik_index == case_id))).all()
    assert (row.status, row.revoke_reason, row.revoked_at) == ("REVOKED", "NO_FIRST_PURCHASE", AT + timedelta(days=30))
    assert [(b.reason, b.created_at) for b in listed] == [("NO_FIRST_PURCHASE", AT + timedelta(days=30))]
    assert await market.case_by_card(card) == case_id


async def test_certificate_serial_is_idempotent(ledger: PgTrainingLedger) -> None:
    case_id = new_case()
    card, _ = await ledger.enroll(case_id, "NORMAL", BALANCE, AT)
    bought = await ledger.record_purchase(purchase(case_id, card, "cert", 1_000_000))
    serials = await asyncio.gather(
        *(ledger.issue_certificate(case_id, bought.voucher_code, "C-1", AT + timedelta(days=9)) for _ in range(3))
    )
    assert len(set(serials)) == 1
    assert serials[0].startswith("PKJ/2024/") and len(serials[0].split("/")[2]) == 8
    other = await ledger.issue_certificate(case_id, "VCR-OTHER" + uuid.uuid4().hex[:6], "C-1", AT)
    assert other != serials[0]


async def test_partners_courses_and_replay_guard(market: PgMarketplace) -> None:
    code = "DP-" + uuid.uuid4().hex[:8]
    partner = Partner(code, "Platform", PartnerType.DIGITAL_PLATFORM, AT)
    assert await market.register_partner(partner, "secret-key")
    assert not await market.register_partner(partner, "another-key")
    assert await market.partner(code) == partner
    assert await market.sign_key(code) == "secret-key"
    assert await market.partner("nobody") is None and await market.sign_key("nobody") is None

    webinar = Course(
        f"{code}-W",
        "Webinar",
        "LPK-9",
        code,
        500_000,
        TrainingMode.WEBINAR,
        "cat-" + code,
        (AT, AT + timedelta(days=1)),
    )
    paced = Course(f"{code}-A", "Paced", "LPK-9", code, 250_000, TrainingMode.SELF_PACED, "cat-" + code)
    await market.upsert_course(webinar)
    await market.upsert_course(paced)
    assert await market.course(webinar.course_code) == webinar
    assert await market.courses(platform_code=code) == [paced, webinar]
    await market.upsert_course(Course(**{**_fields(paced), "active": False, "price": 300_000}))
    assert await market.courses(category="cat-" + code) == [webinar]
    assert (await market.course(paced.course_code)).price == 300_000

    sig = uuid.uuid4().hex
    assert await market.first_use_of_signature(code, sig, AT)
    assert not await market.first_use_of_signature(code, sig, AT + timedelta(seconds=5))
    assert await market.first_use_of_signature("other", sig, AT)
    # Hours later the old signature is forgotten (the API refuses such stale timestamps itself).
    assert await market.first_use_of_signature(code, uuid.uuid4().hex, AT + timedelta(hours=2))
    assert await market.first_use_of_signature(code, sig, AT + timedelta(hours=2))


def _fields(c: Course) -> dict:
    return {f: getattr(c, f) for f in c.__dataclass_fields__}


def _tail(inp: RecordPurchaseInput) -> tuple:
    return inp.purchase_key, inp.platform_code, inp.course, inp.price, inp.at
