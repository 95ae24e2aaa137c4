"""The notification outbox, its dispatcher and the fake gateway on a real (embedded) PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.outbox import PgOutbox
from adapters.notify.dispatcher import OutboxDispatcher
from adapters.notify.fake_gateway import FakeSmsGateway, GatewayError
from domain.notifications import Channel, Notification

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
NO_WAIT = timedelta(0)


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=6, max_overflow=4)
    yield eng
    await eng.dispose()


@pytest_asyncio.fixture
async def clean(engine) -> None:
    """Outbox tests claim from the whole table: start from an empty one."""
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM notifications"))


def note(case_id: str, kind: str, n: int = 0) -> Notification:
    return Notification(
        dedupe_key=f"{case_id}:{kind}:{n}",
        case_id=case_id,
        channel=Channel.SMS,
        recipient="+6281234567890",
        kind=kind,
        body=f"Kode OTP {100000 + n} untuk membeli",
        created_at=AT,
    )


async def status_counts(engine) -> Counter:
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT status, count(*) FROM notifications GROUP BY status"))).all()
    return Counter({r[0]: r[1] for r in rows})


async def test_add_dedupes_and_reads_newest_first(engine, clean) -> None:
    outbox, market = PgOutbox(engine), PgMarketplace(engine)
    case_id = uuid.uuid4().hex
    batch = (note(case_id, "ENROLLED"), note(case_id, "PURCHASE_OTP", 1))
    assert await outbox.add(batch) == 2
    assert await outbox.add(batch) == 0
    assert await outbox.add((*batch, note(case_id, "PURCHASE_OTP", 2))) == 1
    assert await outbox.add(()) == 0
    listed = await market.notifications(case_id)
    assert [n.dedupe_key for n in listed] == [
        f"{case_id}:PURCHASE_OTP:2",
        f"{case_id}:PURCHASE_OTP:1",
        f"{case_id}:ENROLLED:0",
    ]
    assert listed[-1] == batch[0]  # status PENDING, not sent
    assert [n.dedupe_key for n in await market.notifications(case_id, limit=1)] == [f"{case_id}:PURCHASE_OTP:2"]


async def test_claim_leases_and_a_crashed_dispatchers_rows_come_back(engine, clean) -> None:
    outbox = PgOutbox(engine, lease=timedelta(seconds=1))
    case_id = uuid.uuid4().hex
    await outbox.add(tuple(note(case_id, "K", i) for i in range(5)))
    first, second = await asyncio.gather(outbox.claim(3), outbox.claim(3))
    ids = [i for i, _ in first + second]
    assert len(ids) == len(set(ids)) == 5  # SKIP LOCKED: no row claimed twice
    assert await outbox.claim(10) == []  # all leased
    # The dispatcher "crashes": nothing is marked. After the lease the rows are claimable again.
    await asyncio.sleep(1.2)
    again = await outbox.claim(10)
    assert sorted(i for i, _ in again) == sorted(ids)
    assert [n.status for _, n in again] == ["PENDING"] * 5


async def test_failures_back_off_and_end_failed(engine, clean) -> None:
    outbox = PgOutbox(engine, base_backoff=timedelta(seconds=60), max_attempts=3)
    case_id = uuid.uuid4().hex
    await outbox.add((note(case_id, "K"),))
    [(oid, _)] = await outbox.claim(10)
    await outbox.mark(oid, sent=False, error="GatewayError: down")
    assert await outbox.claim(10) == []  # backing off for about a minute
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM notifications WHERE id = :i"), {"i": oid})).one()
    assert (row.status, row.attempts, row.last_error) == ("PENDING", 1, "GatewayError: down")
    assert timedelta(seconds=40) < row.next_attempt_at - datetime.now(UTC) < timedelta(seconds=80)

    fast = PgOutbox(engine, base_backoff=NO_WAIT, max_attempts=3)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE notifications SET next_attempt_at = now() WHERE id = :i"), {"i": oid})
    for _ in range(2):
        [(claimed, _)] = await fast.claim(10)
        await fast.mark(claimed, sent=False, error="again")
    assert await fast.claim(10) == []
    assert await status_counts(engine) == Counter({"FAILED": 1})
    await fast.mark(oid, sent=False, error="late")  # no effect on a FAILED row
    assert await status_counts(engine) == Counter({"FAILED": 1})


async def test_fake_gateway_dedupes_and_fails_deterministically() -> None:
    gw = FakeSmsGateway(failure_rate=0.0)
    a = await gw.send(Channel.SMS, "+62811", "hello", dedupe_key="k1")
    assert await gw.send(Channel.SMS, "+62811", "hello again", dedupe_key="k1") == a
    both = await asyncio.gather(*(gw.send(Channel.EMAIL, "x@y", "b", dedupe_key="k2") for _ in range(3)))
    assert len(set(both)) == 1 and both[0] != a
    assert [m.dedupe_key for m in gw.sent] == ["k1", "k2"]
    assert gw.last(dedupe_prefix="k1").body == "hello"

    always = FakeSmsGateway(failure_rate=1.0)
    with pytest.raises(GatewayError):
        await always.send(Channel.SMS, "+62811", "x", dedupe_key="k")
    assert always.sent == []

    def outcomes(seed: int) -> list[bool]:
        gw = FakeSmsGateway(failure_rate=0.5, seed=seed)
        return [gw._rnd.random() < 0.5 for _ in range(20)]

    assert outcomes(3) == outcomes(3)


async def test_dispatcher_delivers_every_message_exactly_once_despite_failures(engine, clean, caplog) -> None:
    outbox, market = PgOutbox(engine, base_backoff=NO_WAIT), PgMarketplace(engine)
    gateway = FakeSmsGateway(latency=(0.0, 0.005), failure_rate=0.4, seed=11)
    cases = [uuid.uuid4().hex for _ in range(4)]
    await outbox.add(tuple(note(c, "PURCHASE_OTP", i) for c in cases for i in range(10)))

    dispatchers = [OutboxDispatcher(outbox, gateway, batch=7, idle_sleep=0.01) for _ in range(2)]
    stop = asyncio.Event()
    caplog.set_level(logging.WARNING, logger="adapters.notify.dispatcher")
    runs = [asyncio.create_task(d.run(stop)) for d in dispatchers]
    try:
        for _ in range(600):  # at most 30 s
            if (await status_counts(engine)).get("SENT", 0) == 40:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.gather(*runs)

    assert gateway.failures > 0
    assert await status_counts(engine) == Counter({"SENT": 40})
    assert Counter(m.dedupe_key for m in gateway.sent) == Counter(
        f"{c}:PURCHASE_OTP:{i}" for c in cases for i in range(10)
    )
    assert all(n.status == "SENT" and n.sent_at is not None for n in await market.notifications(cases[0]))
    assert any("not sent" in r.getMessage() for r in caplog.records)
    for record in caplog.records:  # privacy: no recipient, no body
        assert "+6281234567890" not in record.getMessage() and "Kode" not in record.getMessage()
    assert await dispatchers[0].run_once() == 0


async def test_dispatcher_never_raises_when_the_gateway_always_fails(engine, clean) -> None:
    outbox = PgOutbox(engine, base_backoff=NO_WAIT, max_attempts=2)
    await outbox.add((note(uuid.uuid4().hex, "ENROLLED"),))
    dispatcher = OutboxDispatcher(outbox, FakeSmsGateway(failure_rate=1.0))
    assert await dispatcher.run_once() == 1
    assert await dispatcher.run_once() == 1
    assert await dispatcher.run_once() == 0
    assert await status_counts(engine) == Counter({"FAILED": 1})
