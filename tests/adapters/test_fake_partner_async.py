"""The fake partner's asynchronous mode: accepted now (PENDING), settled at its time to the outcome decided when
accepting; its back office settles what is due and reports each result, duplicated and out of order."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest_asyncio

from adapters.db.engine import make_engine
from adapters.payments.async_settlement import SettlementReporter, due_now
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.payments.partner_books import PartnerTransfer
from domain.payouts.ports import TransferOutcome, TransferRequest
from domain.payouts.tranches import Provider

NIK = "3171010101900001"


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=4, max_overflow=4)
    yield eng
    await eng.dispose()


def _request(account: str, nik: str = NIK) -> TransferRequest:
    case_id = uuid.uuid4().hex
    return TransferRequest(f"{case_id}:incentive:1/1", case_id, Provider.OVO, account, nik, 600_000, "Insentif 1")


async def test_accepted_transfers_stay_pending_until_their_time_then_settle_as_decided(engine) -> None:
    partner = FakePaymentPartner(engine, latency=(0.0, 0.001), settle_after=(3600.0, 3600.0))
    account = "08" + str(uuid.uuid4().int)[:10]
    await partner.open_account(Provider.OVO, account, NIK, "BUDI SANTOSO")
    good, refused = _request(account), _request(account, nik="3171010101900002")
    for req in (good, refused):
        accepted = await partner.transfer(req)
        assert (accepted.outcome, accepted.partner_ref, accepted.code) == (TransferOutcome.PENDING, None, None)
        assert (await partner.transfer(req)).outcome is TransferOutcome.PENDING  # the same key: the same answer
        assert (await partner.transfer_status(req.key)).outcome is TransferOutcome.PENDING
    for req in (good, refused):
        await due_now(engine, req.case_id)
    paid, rejected = await partner.transfer_status(good.key), await partner.transfer_status(refused.key)
    assert paid.outcome is TransferOutcome.PAID and paid.partner_ref.startswith("TRX-")
    assert (rejected.outcome, rejected.code) == (TransferOutcome.REJECTED, "NIK_MISMATCH")
    assert await partner.transfer_status(good.key) == paid  # settled once
    assert [t.key for t in await partner.transfers(key_prefix=good.case_id)] == [good.key]


async def test_the_back_office_reports_each_settled_transfer_duplicated_and_out_of_order(engine) -> None:
    partner = FakePaymentPartner(engine, latency=(0.0, 0.001), settle_after=(0.0, 0.05))
    account = "08" + str(uuid.uuid4().int)[:10]
    await partner.open_account(Provider.OVO, account, NIK, "BUDI SANTOSO")
    keys = []
    for _ in range(6):
        req = _request(account)
        await partner.transfer(req)
        keys.append(req.key)
    got: list[PartnerTransfer] = []

    async def report(t: PartnerTransfer) -> None:
        if t.key in keys:
            got.append(t)

    reporter = SettlementReporter(engine, report, interval=0.02, reorder=0.2, duplicate_rate=1.0, seed=3)
    async with reporter.running():
        await asyncio.sleep(0.5)
    assert Counter(t.key for t in got) == dict.fromkeys(keys, 2)  # every one reported, each twice
    assert all(t.outcome is TransferOutcome.PAID and t.partner_ref for t in got)
    assert [t.key for t in got] != keys + keys  # reordered
    assert {(await partner.transfer_status(k)).partner_ref for k in keys} == {t.partner_ref for t in got}
