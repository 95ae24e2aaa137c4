"""The fake bank / e-wallet partner, its books in a real (embedded) PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.payments.fake_partner import FakePaymentPartner, mask_name
from domain.clock import programme_date
from domain.payouts.ports import AccountVerdict, PartnerUnavailable, StatementLine, TransferOutcome, TransferRequest
from domain.payouts.tranches import Provider

NIK = "3171010101900001"
OTHER_NIK = "3171010101900002"
FAST = (0.0, 0.001)


@pytest_asyncio.fixture
async def engine(pg_url: str) -> AsyncIterator:
    eng = make_engine(pg_url, pool_size=6, max_overflow=6)
    yield eng
    await eng.dispose()


@pytest.fixture
def partner(engine) -> FakePaymentPartner:
    return FakePaymentPartner(engine, latency=FAST, seed=1)


def number() -> str:
    """A fresh account number per test: the partner's books are shared by the session."""
    return "08" + str(uuid.uuid4().int)[:10]


def request(
    account: str, *, nik: str = NIK, amount: int = 600_000, provider: Provider = Provider.OVO
) -> TransferRequest:
    case_id = uuid.uuid4().hex
    return TransferRequest(f"{case_id}:incentive:1/1", case_id, provider, account, nik, amount, "Insentif 1")


async def test_check_account_verdicts(partner: FakePaymentPartner) -> None:
    ok, closed, kyc, reassigned = number(), number(), number(), number()
    await partner.open_account(Provider.OVO, ok, NIK, "Budi Santoso Wibowo")
    await partner.open_account(Provider.OVO, closed, NIK, "Budi Santoso")
    await partner.close_account(Provider.OVO, closed)
    await partner.open_account(Provider.OVO, kyc, NIK, "Budi", kyc_verified=False)
    await partner.open_account(Provider.DANA, reassigned, NIK, "Budi Santoso")
    await partner.reassign_account(Provider.DANA, reassigned, OTHER_NIK, "Siti Aminah")

    check = await partner.check_account(Provider.OVO, ok, NIK)
    assert (check.verdict, check.holder_name) == (AccountVerdict.OK, "BUDI S*** W***")
    assert (await partner.check_account(Provider.GOPAY, ok, NIK)).verdict == AccountVerdict.NOT_FOUND
    assert (await partner.check_account(Provider.OVO, ok, OTHER_NIK)).verdict == AccountVerdict.NIK_MISMATCH
    assert (await partner.check_account(Provider.OVO, closed, NIK)).verdict == AccountVerdict.CLOSED
    assert (await partner.check_account(Provider.OVO, kyc, NIK)).verdict == AccountVerdict.KYC_NOT_VERIFIED
    assert (await partner.check_account(Provider.DANA, reassigned, NIK)).verdict == AccountVerdict.NIK_MISMATCH
    assert (await partner.check_account(Provider.DANA, reassigned, OTHER_NIK)).holder_name == "SITI A***"
    with pytest.raises(LookupError):
        await partner.close_account(Provider.BCA, number())

    await partner.open_account(Provider.OVO, closed, NIK, "Budi Santoso")  # reopened
    assert (await partner.check_account(Provider.OVO, closed, NIK)).verdict == AccountVerdict.OK
    assert mask_name("budi") == "BUDI"


async def test_the_raw_nik_is_never_stored(partner: FakePaymentPartner, engine) -> None:
    account = number()
    await partner.open_account(Provider.BRI, account, NIK, "Budi")
    async with engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT * FROM fake_partner_accounts WHERE account_number = :a"), {"a": account})
        ).one()
    assert NIK not in str(tuple(row))
    assert row.nik_hash == hashlib.sha256(NIK.encode()).hexdigest()


async def test_transfer_pays_once_per_key(partner: FakePaymentPartner) -> None:
    account = number()
    await partner.open_account(Provider.OVO, account, NIK, "Budi Santoso")
    req = request(account)
    first = await partner.transfer(req)
    assert first.outcome == TransferOutcome.PAID and first.code is None
    assert first.partner_ref is not None and first.partner_ref.startswith("TRX-") and len(first.partner_ref) == 16
    assert await partner.transfer(req) == first
    assert await partner.transfer_status(req.key) == first
    assert await partner.transfer_status("never:incentive:1/1") is None
    [t] = await partner.transfers(req.case_id)
    assert (t.key, t.amount, t.account_number, t.outcome) == (req.key, 600_000, account, TransferOutcome.PAID)


async def test_concurrent_transfers_of_one_key_move_money_once(engine) -> None:
    partners = [FakePaymentPartner(engine, latency=FAST, seed=s) for s in range(3)]  # e.g. three workers
    account = number()
    await partners[0].open_account(Provider.GOPAY, account, NIK, "Budi")
    req = request(account, provider=Provider.GOPAY)
    results = await asyncio.gather(*(partners[i % 3].transfer(req) for i in range(10)))
    assert len(set(results)) == 1 and results[0].outcome == TransferOutcome.PAID
    assert len(await partners[1].transfers(req.case_id)) == 1


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("missing", "ACCOUNT_NOT_FOUND"),
        ("closed", "ACCOUNT_CLOSED"),
        ("reassigned", "NIK_MISMATCH"),
        ("no_kyc", "KYC_NOT_VERIFIED"),
    ],
)
async def test_transfer_rejections_are_recorded_under_the_key(partner: FakePaymentPartner, setup: str, code: str):
    account = number()
    if setup != "missing":
        await partner.open_account(Provider.BCA, account, NIK, "Budi", kyc_verified=setup != "no_kyc")
    if setup == "closed":
        await partner.close_account(Provider.BCA, account)
    if setup == "reassigned":
        await partner.reassign_account(Provider.BCA, account, OTHER_NIK, "Siti")
    req = request(account, provider=Provider.BCA)
    result = await partner.transfer(req)
    assert (result.outcome, result.code, result.partner_ref) == (TransferOutcome.REJECTED, code, None)
    assert result.message
    await partner.open_account(Provider.BCA, account, NIK, "Budi")  # fixed afterwards: the key keeps its answer
    assert await partner.transfer(req) == result
    assert await partner.transfer_status(req.key) == result
    assert [t.outcome for t in await partner.transfers(req.case_id)] == [TransferOutcome.REJECTED]


async def test_scripted_faults(partner: FakePaymentPartner) -> None:
    account = number()
    await partner.open_account(Provider.MANDIRI, account, NIK, "Budi")
    partner.script(account, "TIMEOUT", "COMMIT_THEN_TIMEOUT", "FAIL")

    lost = request(account, provider=Provider.MANDIRI)
    with pytest.raises(PartnerUnavailable):
        await partner.transfer(lost)
    assert await partner.transfer_status(lost.key) is None
    assert await partner.transfers(lost.case_id) == []

    committed = request(account, provider=Provider.MANDIRI)
    with pytest.raises(PartnerUnavailable):
        await partner.transfer(committed)
    status = await partner.transfer_status(committed.key)
    assert status is not None and status.outcome == TransferOutcome.PAID
    assert await partner.transfer(committed) == status  # consumes FAIL: the recorded answer stands

    partner.script(account, "FAIL")
    failing = request(account, provider=Provider.MANDIRI)
    refused = await partner.transfer(failing)
    assert (refused.outcome, refused.code) == (TransferOutcome.REJECTED, "TRANSFER_FAILED")
    assert (await partner.transfer(request(account, provider=Provider.MANDIRI))).outcome == TransferOutcome.PAID

    with pytest.raises(ValueError, match="unknown faults"):
        partner.script(account, "EXPLODE")


async def test_random_fault_rates(engine) -> None:
    account = number()
    always_fails = FakePaymentPartner(engine, latency=FAST, random_failure_rate=1.0, seed=3)
    await always_fails.open_account(Provider.LINKAJA, account, NIK, "Budi")
    for _ in range(3):
        result = await always_fails.transfer(request(account, provider=Provider.LINKAJA))
        assert (result.outcome, result.code) == (TransferOutcome.REJECTED, "TRANSFER_FAILED")

    always_lost = FakePaymentPartner(engine, latency=FAST, timeout_rate=1.0, seed=4)
    req = request(account, provider=Provider.LINKAJA)
    with pytest.raises(PartnerUnavailable):
        await always_lost.transfer(req)
    assert await always_lost.transfer_status(req.key) is None

    answer_lost = FakePaymentPartner(engine, latency=FAST, commit_then_timeout_rate=1.0, seed=5)
    with pytest.raises(PartnerUnavailable):
        await answer_lost.transfer(req)
    status = await answer_lost.transfer_status(req.key)
    assert status is not None and status.outcome == TransferOutcome.PAID

    with pytest.raises(ValueError):
        FakePaymentPartner(engine, timeout_rate=1.5)


async def test_statement_lists_paid_transfers_of_one_jakarta_day(partner: FakePaymentPartner) -> None:
    account = number()
    await partner.open_account(Provider.SHOPEEPAY, account, NIK, "Budi")
    paid = await partner.transfer(request(account, provider=Provider.SHOPEEPAY))
    refused = await partner.transfer(request(number(), provider=Provider.SHOPEEPAY))
    today = programme_date(paid.at)
    keys_today = {line.key for line in await partner.statement(today)}
    assert paid.key in keys_today and refused.key not in keys_today
    assert paid.key not in {line.key for line in await partner.statement(today - timedelta(days=1))}

    day = date(2023, 7, 14)
    tag = uuid.uuid4().hex
    late = StatementLine(f"{tag}:a", "TRX-L", Provider.OVO, "1", 100_000, datetime(2023, 7, 14, 16, 59, 59, tzinfo=UTC))
    early = StatementLine(f"{tag}:b", "TRX-E", Provider.OVO, "1", 200_000, datetime(2023, 7, 13, 17, 0, tzinfo=UTC))
    after = StatementLine(f"{tag}:c", "TRX-N", Provider.OVO, "1", 300_000, datetime(2023, 7, 14, 17, 0, tzinfo=UTC))
    for line in (late, early, after):
        await partner.plant_transfer(line)
    ours = [line for line in await partner.statement(day) if line.key.startswith(tag)]
    assert ours == [early, late]
    assert [line.key for line in await partner.statement(date(2023, 7, 15)) if line.key.startswith(tag)] == [after.key]
    status = await partner.transfer_status(late.key)
    assert status is not None and (status.outcome, status.partner_ref) == (TransferOutcome.PAID, "TRX-L")


async def test_ensure_schema_is_safe_concurrently(engine) -> None:
    fresh = [FakePaymentPartner(engine, latency=FAST) for _ in range(4)]
    await asyncio.gather(*(p.ensure_schema() for p in fresh))
