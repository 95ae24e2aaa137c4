"""The payments table on a real (embedded) PostgreSQL: claims, settlement, the settle-once trigger."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from adapters.db.engine import make_engine
from adapters.db.payments import PgPaymentStore
from adapters.db.payout_tables import payment_discrepancies, payments
from adapters.db.reconciliation import PgReconciliationStore
from adapters.payments.fake_partner import FakePaymentPartner
from domain.clock import programme_date
from domain.payouts.ports import (
    Discrepancy,
    DiscrepancyKind,
    PartnerUnavailable,
    PaymentClaim,
    PaymentStatus,
    StatementLine,
    TransferOutcome,
    TransferRequest,
    TransferResult,
)
from domain.payouts.reconciliation import compare
from domain.payouts.tranches import Provider, attempt_key, tranche_key

AT = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 WIB


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=6, max_overflow=6)
    yield eng
    await eng.dispose()


@pytest.fixture
def store(engine) -> PgPaymentStore:
    return PgPaymentStore(engine)


def new_case() -> str:
    return uuid.uuid4().hex


def claim(case_id: str, attempt: int = 1, *, tranche: int = 1, amount: int = 600_000, **kw) -> PaymentClaim:
    values = {
        "case_id": case_id,
        "tranche": tranche,
        "attempt": attempt,
        "kind": "JOB_SEARCH",
        "amount": amount,
        "provider": Provider.BNI,
        "account_number": "0123456789",
        "link_no": 1,
        "at": AT,
    }
    values.update(kw)
    return PaymentClaim(**values)


def paid(key: str, at: datetime = AT, ref: str = "TRX-0000000000AA") -> TransferResult:
    return TransferResult(key, TransferOutcome.PAID, at, partner_ref=ref)


def rejected(key: str, code: str = "TRANSFER_FAILED", at: datetime = AT) -> TransferResult:
    return TransferResult(key, TransferOutcome.REJECTED, at, code=code, message="gagal")


async def test_claim_creates_a_pending_row_once(store: PgPaymentStore) -> None:
    case_id = new_case()
    row = await store.claim(claim(case_id))
    assert row.key == attempt_key(case_id, 1, 1) and row.tranche_key == tranche_key(case_id, 1)
    assert row.status == PaymentStatus.PENDING and row.settled_at is None
    assert (row.amount, row.provider, row.account_number, row.link_no, row.kind) == (
        600_000,
        Provider.BNI,
        "0123456789",
        1,
        "JOB_SEARCH",
    )
    assert row.created_at == AT
    again = await store.claim(claim(case_id, at=AT + timedelta(hours=1)))
    assert again == row
    assert await store.for_case(case_id) == [row]


async def test_claim_returns_the_live_or_paid_row_of_another_attempt(store: PgPaymentStore) -> None:
    case_id = new_case()
    first = await store.claim(claim(case_id, 1))
    assert await store.claim(claim(case_id, 2, amount=1)) == first  # PENDING attempt 1 stands
    settled = await store.settle(first.key, paid(first.key))
    assert settled.status == PaymentStatus.PAID
    assert await store.claim(claim(case_id, 3)) == settled  # PAID attempt 1 stands
    assert [r.attempt for r in await store.for_case(case_id)] == [1]


async def test_claim_after_failure_returns_the_failed_attempt_or_opens_a_new_one(store: PgPaymentStore) -> None:
    case_id = new_case()
    first = await store.claim(claim(case_id, 1))
    failed = await store.settle(first.key, rejected(first.key, "NIK_MISMATCH"))
    assert (failed.status, failed.failure_code, failed.failure_message) == (
        PaymentStatus.FAILED,
        "NIK_MISMATCH",
        "gagal",
    )
    assert failed.settled_at == AT and failed.partner_ref is None
    # A workflow reset replays attempt 1: it gets the FAILED row back, not a new transfer.
    assert await store.claim(claim(case_id, 1)) == failed
    second = await store.claim(claim(case_id, 2, provider=Provider.OVO, account_number="0812", link_no=2))
    assert (second.attempt, second.status, second.provider, second.link_no) == (2, PaymentStatus.PENDING, "OVO", 2)
    assert await store.claim(claim(case_id, 1)) == second  # the live attempt wins over the FAILED one
    assert [r.key for r in await store.for_case(case_id)] == [first.key, second.key]


async def test_concurrent_claims_leave_one_live_row(store: PgPaymentStore, engine) -> None:
    case_id = new_case()
    same = await asyncio.gather(*(store.claim(claim(case_id, 1)) for _ in range(10)))
    assert len(set(same)) == 1
    spread = await asyncio.gather(*(store.claim(claim(case_id, attempt, tranche=2)) for attempt in range(1, 11)))
    assert len(set(spread)) == 1 and spread[0].status == PaymentStatus.PENDING
    async with engine.connect() as conn:
        count = select(func.count()).where(payments.c.case_id == case_id)
        assert (await conn.execute(count)).scalar_one() == 2

    # After the live row fails, racing new attempts again end with exactly one live row.
    await store.settle(spread[0].key, rejected(spread[0].key))
    retry = await asyncio.gather(*(store.claim(claim(case_id, attempt, tranche=2)) for attempt in range(11, 21)))
    live = {r.key for r in retry if r.status == PaymentStatus.PENDING}
    assert len(live) == 1
    rows = [r for r in await store.for_case(case_id) if r.tranche == 2]
    assert sum(r.status != PaymentStatus.FAILED for r in rows) == 1


async def test_settle_is_idempotent_and_checks_its_input(store: PgPaymentStore) -> None:
    case_id = new_case()
    row = await store.claim(claim(case_id))
    first = await store.settle(row.key, paid(row.key, ref="TRX-111111111111"))
    assert (first.status, first.partner_ref, first.settled_at) == (PaymentStatus.PAID, "TRX-111111111111", AT)
    later = AT + timedelta(minutes=5)
    assert await store.settle(row.key, paid(row.key, later, "TRX-222222222222")) == first
    assert await store.settle(row.key, rejected(row.key, at=later)) == first
    with pytest.raises(ValueError, match="cannot settle"):
        await store.settle(row.key, paid("other"))
    with pytest.raises(LookupError):
        await store.settle("nope:incentive:1/1", paid("nope:incentive:1/1"))


async def test_the_database_refuses_resettling_deleting_and_a_second_live_row(store: PgPaymentStore, engine) -> None:
    case_id = new_case()
    row = await store.claim(claim(case_id))
    with pytest.raises(DBAPIError, match="only the settlement columns"):
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE payments SET amount = 1, status = 'PAID' WHERE key = :k"), {"k": row.key})
    with pytest.raises(DBAPIError, match="only PENDING -> PAID or FAILED"):
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE payments SET partner_ref = 'x' WHERE key = :k"), {"k": row.key})
    with pytest.raises(DBAPIError, match="never deleted"):
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM payments WHERE key = :k"), {"k": row.key})
    with pytest.raises(IntegrityError, match="ux_payments_live_tranche"):
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO payments (key, tranche_key, case_id, tranche, attempt, kind, amount, provider,"
                    " account_number, link_no, status, created_at)"
                    " SELECT tranche_key || '/9', tranche_key, case_id, tranche, 9, kind, amount, provider,"
                    " account_number, link_no, 'PENDING', created_at FROM payments WHERE key = :k"
                ),
                {"k": row.key},
            )

    settled = await store.settle(row.key, paid(row.key))
    for sql in (
        "UPDATE payments SET status = 'FAILED' WHERE key = :k",
        "UPDATE payments SET partner_ref = 'TRX-FORGED' WHERE key = :k",
        "DELETE FROM payments WHERE key = :k",
    ):
        with pytest.raises(DBAPIError, match=r"settled|never deleted"):
            async with engine.begin() as conn:
                await conn.execute(text(sql), {"k": row.key})
    assert await store.by_keys([row.key]) == [settled]


async def test_by_keys(store: PgPaymentStore) -> None:
    case_id = new_case()
    a = await store.claim(claim(case_id, tranche=1))
    b = await store.claim(claim(case_id, tranche=2))
    assert await store.by_keys([b.key, a.key, b.key, "missing"]) == [a, b]
    assert await store.by_keys([]) == []


async def test_paid_on_uses_the_jakarta_calendar_day(store: PgPaymentStore) -> None:
    case_id = new_case()
    last_second = datetime(2024, 3, 1, 16, 59, 59, tzinfo=UTC)  # 23:59:59 WIB, 1 March
    midnight = datetime(2024, 3, 1, 17, 0, tzinfo=UTC)  # 00:00 WIB, 2 March
    early = datetime(2024, 2, 29, 17, 0, tzinfo=UTC)  # 00:00 WIB, 1 March
    keys = {}
    for n, at in ((1, last_second), (2, midnight), (3, early)):
        row = await store.claim(claim(case_id, tranche=n))
        keys[n] = (await store.settle(row.key, paid(row.key, at))).key
    failed = await store.claim(claim(case_id, tranche=4))
    await store.settle(failed.key, rejected(failed.key, at=last_second))
    await store.claim(claim(case_id, tranche=5))  # PENDING: never on any day

    async def ours(day: date) -> list[str]:
        return [r.key for r in await store.paid_on(day) if r.case_id == case_id]

    assert await ours(date(2024, 3, 1)) == [keys[3], keys[1]]
    assert await ours(date(2024, 3, 2)) == [keys[2]]
    assert await ours(date(2024, 2, 29)) == []


# -- reconciliation: the store of discrepancies and runs, and one end-to-end day ---------------------------------


def discrepancy(day: date, key: str, kind: DiscrepancyKind = DiscrepancyKind.NOT_SETTLED) -> Discrepancy:
    return Discrepancy(day, key, kind, f"detail of {key}", case_id=key.split(":")[0])


async def test_record_is_idempotent_per_day_key_and_kind(engine) -> None:
    rec = PgReconciliationStore(engine)
    day, tag = date(2024, 3, 1), new_case()
    found = [discrepancy(day, f"{tag}:incentive:1/1"), discrepancy(day, f"{tag}:incentive:2/1")]
    assert await rec.record(found) == 2
    again = [*found, discrepancy(day, f"{tag}:incentive:1/1", DiscrepancyKind.AMOUNT_MISMATCH)]
    assert await rec.record(again) == 1
    assert await rec.record([discrepancy(day + timedelta(days=1), f"{tag}:incentive:1/1")]) == 1
    assert await rec.record([]) == 0
    stamped = replace(discrepancy(day, f"{tag}:incentive:3/1"), found_at=AT)
    assert await rec.record([stamped]) == 1

    mine = [d for d in await rec.discrepancies(status=None, limit=10_000) if d.key.startswith(tag)]
    assert len(mine) == 5 and all(d.status == "OPEN" and d.id is not None and d.found_at for d in mine)
    assert mine[0].day == day + timedelta(days=1)  # newest day first
    assert {d.case_id for d in mine} == {tag}
    assert next(d for d in mine if d.key.endswith("3/1")).found_at == AT


async def test_resolve_and_list_by_status(engine) -> None:
    rec = PgReconciliationStore(engine)
    day, tag = date(2024, 3, 2), new_case()
    await rec.record([discrepancy(day, f"{tag}:incentive:1/1"), discrepancy(day, f"{tag}:incentive:2/1")])
    first, second = [d for d in await rec.discrepancies(limit=10_000) if d.key.startswith(tag)]
    assert await rec.resolve(first.id, by="staff-1", note="bank confirmed the transfer", at=AT) is True
    assert await rec.resolve(first.id, by="staff-2", note="again", at=AT) is False
    assert await rec.resolve(-1, by="staff-1", note="none", at=AT) is False
    open_now = {d.id for d in await rec.discrepancies(limit=10_000)}
    resolved = {d.id: d for d in await rec.discrepancies(status="RESOLVED", limit=10_000)}
    assert second.id in open_now and first.id not in open_now
    assert resolved[first.id].status == "RESOLVED"
    async with engine.connect() as conn:
        row = (await conn.execute(select(payment_discrepancies).where(payment_discrepancies.c.id == first.id))).one()
    assert (row.resolved_by, row.resolved_note, row.resolved_at) == ("staff-1", "bank confirmed the transfer", AT)
    # Re-recording a resolved discrepancy does not reopen it.
    assert await rec.record([discrepancy(day, f"{tag}:incentive:1/1")]) == 0
    assert len(await rec.discrepancies(limit=1)) == 1


async def test_mark_run_upserts_per_day(engine) -> None:
    rec = PgReconciliationStore(engine)
    day = date(1999, 1, 1) + timedelta(days=uuid.uuid4().int % 10_000)
    assert await rec.last_run(day) is None
    await rec.mark_run(day, lines=3, rows=2, found=1, at=AT)
    await rec.mark_run(day, lines=4, rows=4, found=0, at=AT + timedelta(hours=1))
    assert await rec.last_run(day) == {"day": day, "lines": 4, "rows": 4, "found": 0, "ran_at": AT + timedelta(hours=1)}


async def test_a_day_reconciled_end_to_end(store: PgPaymentStore, engine) -> None:
    partner = FakePaymentPartner(engine, latency=(0.0, 0.001), seed=2)
    rec = PgReconciliationStore(engine)
    case_id, account, nik = new_case(), "08" + str(uuid.uuid4().int)[:10], "3171010101900003"
    await partner.open_account(Provider.BNI, account, nik, "Budi")

    async def pay(tranche: int, attempt: int = 1) -> TransferRequest:
        row = await store.claim(claim(case_id, attempt, tranche=tranche, account_number=account))
        req = TransferRequest(row.key, case_id, row.provider, account, nik, row.amount, "Insentif")
        await store.settle(row.key, await partner.transfer(req))
        return req

    await pay(1)  # clean
    partner.script(account, "COMMIT_THEN_TIMEOUT")
    lost = await store.claim(claim(case_id, tranche=2, account_number=account))
    with pytest.raises(PartnerUnavailable):
        await partner.transfer(TransferRequest(lost.key, case_id, lost.provider, account, nik, lost.amount, "x"))
    # the answer was lost: our row stays PENDING although the partner paid
    third = await pay(3)
    planted = StatementLine(f"{case_id}:incentive:3/2", "TRX-PLANTED01", Provider.BNI, account, 600_000, AT)

    day = programme_date((await partner.transfer_status(third.key)).at)
    await partner.plant_transfer(replace(planted, at=(await partner.transfer_status(third.key)).at))
    statement = [line for line in await partner.statement(day) if line.key.startswith(case_id)]
    rows = {r.key: r for r in await store.by_keys([line.key for line in statement])}
    paid_rows = [r for r in await store.paid_on(day) if r.case_id == case_id]
    found = compare(day, statement, rows, paid_rows)
    assert [(d.key, d.kind) for d in found] == [
        (lost.key, DiscrepancyKind.NOT_SETTLED),
        (f"{case_id}:incentive:3", DiscrepancyKind.DOUBLE_PAYMENT),
        (planted.key, DiscrepancyKind.UNKNOWN_TRANSFER),
    ]
    assert await rec.record(found) == 3
    assert await rec.record(found) == 0
