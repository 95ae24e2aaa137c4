"""Transfers an asynchronous partner settles later (generation 4) on the time-skipping server, with the real
PostgreSQL books and the fake partner in its asynchronous mode: PENDING until a status check (durable timer,
bounded backoff) or the partner's report (the books settled, then the signal) settles it, paid once; a refusal
that settles later fails the tranche; a run of generation 3 keeps settling within the transfer."""

from __future__ import annotations

import datetime as dt

import pytest
import pytest_asyncio
from temporalio.client import WorkflowUpdateFailedError

from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.payments import PgPaymentStore
from adapters.payments.async_settlement import due_now
from adapters.payments.fake_partner import FakePaymentPartner
from domain.payouts.messages import LinkAccountRequest, UnlinkAccountRequest
from domain.payouts.ports import PaymentStatus, TransferOutcome, TransferResult
from domain.payouts.tranches import Provider, TrancheStatus
from domain.scheme import get_scheme
from tests.integration.helpers import clean_people
from tests.workflows.payout_steps import (
    certify,
    open_wallet,
    payment_problems,
    rate,
    start_selected,
    terminate_started,
    until,
)
from tests.workflows.test_ability_test_deadline import POPULATION
from tests.workflows.test_replay import replay_and_maybe_record
from workflows.participant import ParticipantWorkflow

PEOPLE = clean_people(POPULATION)
SCHEME = get_scheme("NORMAL_2023")
AN_HOUR = (3600.0, 3600.0)


@pytest_asyncio.fixture(loop_scope="session")
async def engine(pg_url):
    e = make_engine(pg_url, pool_size=4, max_overflow=2)
    yield e
    await e.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def partner(engine):
    """Accepts now, settles an hour (of wall time) later unless a test makes it due."""
    p = FakePaymentPartner(engine, latency=(0.0, 0.002), settle_after=AN_HOUR)
    await p.ensure_schema()
    return p


@pytest.fixture(autouse=True)
async def _payments_stay_exactly_once(engine):
    yield
    cases = await terminate_started()
    assert await payment_problems(engine, cases) == []


async def _state(t):
    return await t.handle.query(ParticipantWorkflow.snapshot)


async def _paying(env, engine, partner, person: int, **start):
    t = await start_selected(env, engine, partner, PEOPLE[person], "NORMAL_2023", **start)
    return t


async def _linked(env, engine, partner, t) -> str:
    await certify(env, engine, t)
    await rate(t)
    wallet = await open_wallet(partner, t)
    await t.handle.execute_update(
        ParticipantWorkflow.link_payout_account, LinkAccountRequest(t.account_id, Provider.OVO, wallet)
    )
    return wallet


async def _notes(engine, case_id: str) -> list[str]:
    return [n.kind for n in await PgMarketplace(engine).notifications(case_id)]


@pytest.mark.timeout(120)
async def test_an_accepted_transfer_is_pending_until_a_status_check_finds_it_settled(env, engine, partner):
    t = await _paying(env, engine, partner, 30)
    async with t.worker:
        await _linked(env, engine, partner, t)
        await env.sleep(dt.timedelta(days=2))  # due after a day; accepted; checked with backoff since
        first = (await _state(t)).incentives[0]
        assert first.status is TrancheStatus.PENDING and first.transfer_key and first.checks >= 3
        assert first.check_at - await env.get_current_time() <= SCHEME.transfer_check_max
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert (row.status, row.key) == (PaymentStatus.PENDING, first.transfer_key)
        assert "INCENTIVE_PENDING" in await _notes(engine, t.case_id)
        with pytest.raises(WorkflowUpdateFailedError) as refused:  # the money is moving to this account
            await t.handle.execute_update(ParticipantWorkflow.unlink_payout_account, UnlinkAccountRequest(t.account_id))
        assert refused.value.cause.type == "PAYOUT_IN_PROGRESS"

        assert await due_now(engine, f"{t.case_id}:") == 1  # the partner settles it; nobody tells the case
        await env.sleep(SCHEME.transfer_check_max + dt.timedelta(minutes=1))
        first = (await _state(t)).incentives[0]
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert (first.status, row.status, first.partner_ref) == (TrancheStatus.PAID, PaymentStatus.PAID, row.partner_ref)
        assert first.transfer_key is None and first.check_at is None
        [transfer] = await partner.transfers(key_prefix=f"{t.case_id}:")
        assert (transfer.outcome, transfer.partner_ref) == (TransferOutcome.PAID, row.partner_ref)
        assert "INCENTIVE_PAID" in await _notes(engine, t.case_id)
        await replay_and_maybe_record(env.client, t.handle.id, "participant_async_settled_by_check")


@pytest.mark.timeout(120)
async def test_the_partners_report_settles_at_once_and_a_late_contradiction_changes_nothing(env, engine, partner):
    t = await _paying(env, engine, partner, 31)
    async with t.worker:
        await _linked(env, engine, partner, t)
        await env.sleep(dt.timedelta(days=1, minutes=1))
        first = (await _state(t)).incentives[0]
        assert first.status is TrancheStatus.PENDING
        await due_now(engine, f"{t.case_id}:")  # the partner settles, then reports
        at_partner = await partner.transfer_status(first.transfer_key)
        assert at_partner.outcome is TransferOutcome.PAID
        # What reportTransfer does: record the result in the books (once), then signal the case.
        books = PgPaymentStore(engine)
        now = dt.datetime.now(dt.UTC)
        paid = TransferResult(first.transfer_key, TransferOutcome.PAID, now, partner_ref=at_partner.partner_ref)
        assert (await books.settle_once(first.transfer_key, paid))[1] is True
        failed = TransferResult(first.transfer_key, TransferOutcome.REJECTED, now, code="TRANSFER_FAILED")
        assert (await books.settle_once(first.transfer_key, failed))[1] is False  # failed after settled
        for _ in range(2):  # delivered twice
            await t.handle.signal(ParticipantWorkflow.transfer_reported, first.transfer_key)

        async def paid_now():
            x = (await _state(t)).incentives[0]
            return x if x.status is TrancheStatus.PAID else None

        done = await until(paid_now, 20, "the report to settle the tranche")  # no time skipped: the signal did it
        assert done.partner_ref == at_partner.partner_ref and done.attempt == 1
        assert [r.status for r in await books.for_case(t.case_id)] == [PaymentStatus.PAID]
        assert (await _notes(engine, t.case_id)).count("INCENTIVE_PAID") == 2  # one SMS, one e-mail
        await replay_and_maybe_record(env.client, t.handle.id, "participant_async_settled_by_report")


@pytest.mark.timeout(120)
async def test_a_refusal_that_settles_later_fails_the_tranche_for_a_relink(env, engine, partner):
    t = await _paying(env, engine, partner, 32)
    async with t.worker:
        wallet = await _linked(env, engine, partner, t)
        await partner.close_account(Provider.OVO, wallet)  # closed before the transfer: refused, told later
        await env.sleep(dt.timedelta(days=1, minutes=1))
        assert (await _state(t)).incentives[0].status is TrancheStatus.PENDING
        await due_now(engine, f"{t.case_id}:")
        await env.sleep(SCHEME.transfer_check_max)
        first = (await _state(t)).incentives[0]
        assert (first.status, first.failure_code) == (TrancheStatus.FAILED, "ACCOUNT_CLOSED")
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert (row.status, row.failure_code) == (PaymentStatus.FAILED, "ACCOUNT_CLOSED")


@pytest.mark.timeout(120)
async def test_a_run_of_generation_3_settles_within_the_transfer(env, engine):
    quick = FakePaymentPartner(engine, latency=(0.0, 0.002), settle_after=(0.3, 0.6))
    t = await _paying(env, engine, quick, 33, generation=3)
    async with t.worker:
        await _linked(env, engine, quick, t)
        await env.sleep(dt.timedelta(days=1, minutes=1))

        async def settled():
            x = (await _state(t)).incentives[0]
            return x if x.status is not TrancheStatus.PAYABLE or x.failure_code else None

        first = await until(settled, 30, "the transfer to settle")
        assert (first.status, first.transfer_key, first.checks) == (TrancheStatus.PAID, None, 0)
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert row.status is PaymentStatus.PAID
        assert "INCENTIVE_PENDING" not in await _notes(engine, t.case_id)
        await replay_and_maybe_record(env.client, t.handle.id, "participant_gen3_settled_within_transfer")


class ReportsBeforeAnswering(FakePaymentPartner):
    """A partner whose report (books settled, case signalled) lands before its answer to the transfer: the report
    comes before the programme recorded the acceptance."""

    def __init__(self, engine, client) -> None:
        super().__init__(engine, latency=(0.0, 0.002), settle_after=AN_HOUR)
        self.client = client

    async def transfer(self, req):
        accepted = await super().transfer(req)
        await due_now(self._engine, req.key)
        settled = await self.transfer_status(req.key)
        await PgPaymentStore(self._engine).settle_once(req.key, settled)  # what reportTransfer records
        handle = self.client.get_workflow_handle(f"participant-{req.case_id}")
        await handle.signal(ParticipantWorkflow.transfer_reported, req.key)
        return accepted  # PENDING: the answer the programme gets, after the report


@pytest.mark.timeout(120)
async def test_a_report_before_the_acceptance_is_recorded_settles_the_transfer_once(env, engine):
    early = ReportsBeforeAnswering(engine, env.client)
    t = await _paying(env, engine, early, 34)
    async with t.worker:
        await _linked(env, engine, early, t)
        await env.sleep(dt.timedelta(days=1, minutes=1))
        first = (await _state(t)).incentives[0]
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert (first.status, row.status, first.partner_ref) == (TrancheStatus.PAID, PaymentStatus.PAID, row.partner_ref)
        assert [x.outcome for x in await early.transfers(key_prefix=f"{t.case_id}:")] == [TransferOutcome.PAID]
