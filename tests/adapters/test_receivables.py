"""Clawback receivables and repayments on a real (embedded) PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy.exc import IntegrityError

from adapters.db.engine import make_engine
from adapters.db.receivables import PgReceivableStore
from domain.payouts.ports import Receivable, ReceivableStatus, Repayment

AT = datetime(2024, 5, 2, 3, 0, tzinfo=UTC)
DUE = AT + timedelta(days=60)


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=6, max_overflow=6)
    yield eng
    await eng.dispose()


@pytest.fixture
def store(engine) -> PgReceivableStore:
    return PgReceivableStore(engine)


def receivable(case_id: str | None = None, *, due: datetime = DUE) -> Receivable:
    return Receivable(
        case_id=case_id or uuid.uuid4().hex,
        training_aid=3_500_000,
        incentives=600_000,
        reason_code="FALSE_STATEMENT",
        reason="registered while employed as a civil servant",
        evidence="BKN record 2024-04-30",
        opened_at=AT,
        due_at=due,
        status=ReceivableStatus.OPEN,
    )


def repayment(case_id: str, key: str, amount: int, at: datetime = AT) -> Repayment:
    return Repayment(f"{case_id}:{key}", case_id, amount, f"VA-{key}", at)


async def test_open_is_idempotent_per_case(store: PgReceivableStore) -> None:
    r = receivable()
    opened = await store.open(r)
    assert opened == r and opened.amount_due == 4_100_000 and opened.outstanding == 4_100_000
    changed = replace(r, training_aid=1, reason="other", opened_at=AT + timedelta(days=1))
    assert await store.open(changed) == opened
    assert await store.get(r.case_id) == opened
    assert await store.get("no-such-case") is None


async def test_concurrent_opens_make_one_receivable(store: PgReceivableStore) -> None:
    r = receivable()
    results = await asyncio.gather(*(store.open(r) for _ in range(5)))
    assert set(results) == {r}


async def test_repay_sums_repayments_once_per_key(store: PgReceivableStore) -> None:
    r = await store.open(receivable())
    first = await store.repay(repayment(r.case_id, "1", 1_000_000))
    assert (first.repaid, first.outstanding, first.status) == (1_000_000, 3_100_000, ReceivableStatus.OPEN)
    assert await store.repay(repayment(r.case_id, "1", 1_000_000)) == first  # a retried repayment
    assert (await store.repay(replace(repayment(r.case_id, "1", 5), reference="x"))).repaid == 1_000_000
    both = await asyncio.gather(*(store.repay(repayment(r.case_id, "2", 3_100_000)) for _ in range(5)))
    assert {b.repaid for b in both} == {4_100_000}
    settled = await store.repay(repayment(r.case_id, "3", 50_000))
    assert (settled.repaid, settled.outstanding) == (4_150_000, 0)  # overpaid: nothing outstanding
    assert [p.amount for p in await store.repayments(r.case_id)] == [1_000_000, 3_100_000, 50_000]


async def test_repay_refuses_unknown_cases_foreign_keys_and_non_positive_amounts(store: PgReceivableStore) -> None:
    a, b = await store.open(receivable()), await store.open(receivable())
    with pytest.raises(LookupError):
        await store.repay(repayment(uuid.uuid4().hex, "1", 10))
    await store.repay(Repayment(f"shared-{a.case_id}", a.case_id, 10, "VA", AT))
    with pytest.raises(ValueError, match="another case"):
        await store.repay(Repayment(f"shared-{a.case_id}", b.case_id, 10, "VA", AT))
    assert (await store.get(b.case_id)).repaid == 0
    with pytest.raises(IntegrityError):
        await store.repay(repayment(a.case_id, "zero", 0))


async def test_set_status(store: PgReceivableStore) -> None:
    r = await store.open(receivable())
    later = AT + timedelta(days=61)
    escalated = await store.set_status(r.case_id, ReceivableStatus.ESCALATED, later)
    assert (escalated.status, escalated.closed_at) == (ReceivableStatus.ESCALATED, later)
    assert await store.set_status(r.case_id, ReceivableStatus.ESCALATED, later + timedelta(days=1)) == escalated
    with pytest.raises(ValueError, match="not allowed"):
        await store.set_status(r.case_id, ReceivableStatus.OPEN, later)
    await store.repay(repayment(r.case_id, "all", r.amount_due))
    repaid = await store.set_status(r.case_id, ReceivableStatus.REPAID, later + timedelta(days=2))
    assert (repaid.status, repaid.outstanding, repaid.closed_at) == (
        ReceivableStatus.REPAID,
        0,
        later + timedelta(days=2),
    )
    with pytest.raises(ValueError):
        await store.set_status(r.case_id, ReceivableStatus.ESCALATED, later)
    with pytest.raises(LookupError):
        await store.set_status(uuid.uuid4().hex, ReceivableStatus.REPAID, later)


async def test_list_by_status_earliest_due_first(store: PgReceivableStore) -> None:
    # Far-future due dates put these first among the session's receivables in no particular order of creation.
    base = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(minutes=uuid.uuid4().int % 10**6)
    later, sooner = await store.open(receivable(due=base + timedelta(days=2))), await store.open(receivable(due=base))
    await store.repay(repayment(sooner.case_id, "p", 100))
    listed = await store.list(limit=10_000)
    mine = [r for r in listed if r.case_id in {later.case_id, sooner.case_id}]
    assert [r.case_id for r in mine] == [sooner.case_id, later.case_id]
    assert mine[0].repaid == 100
    assert [r.due_at for r in listed] == sorted(r.due_at for r in listed)

    await store.set_status(later.case_id, ReceivableStatus.ESCALATED, AT)
    escalated = {r.case_id for r in await store.list(status=ReceivableStatus.ESCALATED, limit=10_000)}
    still_open = {r.case_id for r in await store.list(status=ReceivableStatus.OPEN, limit=10_000)}
    assert later.case_id in escalated and later.case_id not in still_open
    assert sooner.case_id in still_open and sooner.case_id not in escalated
    assert len(await store.list(limit=1)) == 1
