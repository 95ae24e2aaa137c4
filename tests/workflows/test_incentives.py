"""Incentives on the time-skipping server with the real PostgreSQL books and the fake payment partner: the whole
schedule of both schemes from certificate to the last tranche, a NIK mismatch discovered at transfer time and
repaired by relinking, surveys that lapse, and clawback to repayment and to escalation."""

from __future__ import annotations

import datetime as dt

import pytest
import pytest_asyncio
from temporalio.client import WorkflowUpdateFailedError

from adapters.db.engine import make_engine
from adapters.db.payments import PgPaymentStore
from adapters.db.receivables import PgReceivableStore
from adapters.payments.fake_partner import FakePaymentPartner
from domain.case import Stage
from domain.clawback.saga import ClawbackStep
from domain.enrollment.enrollment import CardStatus
from domain.payouts.messages import LinkAccountRequest, SurveyRequest, UnlinkAccountRequest
from domain.payouts.ports import PaymentStatus
from domain.payouts.tranches import Provider, TrancheStatus
from domain.scheme import get_scheme
from tests.integration.helpers import clean_people
from tests.workflows.payout_steps import (
    certify,
    open_wallet,
    patch_markers,
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


@pytest_asyncio.fixture(loop_scope="session")
async def engine(pg_url):
    e = make_engine(pg_url, pool_size=4, max_overflow=2)
    yield e
    await e.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def partner(engine):
    p = FakePaymentPartner(engine, latency=(0.0, 0.002))
    await p.ensure_schema()
    return p


@pytest.fixture(autouse=True)
async def _payments_stay_exactly_once(engine):
    yield
    cases = await terminate_started()
    assert await payment_problems(engine, cases) == []


async def _state(t):
    return await t.handle.query(ParticipantWorkflow.snapshot)


async def _link(t, number: str, provider: Provider = Provider.OVO):
    return await t.handle.execute_update(
        ParticipantWorkflow.link_payout_account, LinkAccountRequest(t.account_id, provider, number)
    )


async def _certified_and_rated(env, engine, partner, t) -> str:
    """Both prerequisites of the incentives met; returns the number of an e-wallet opened in the person's name."""
    await certify(env, engine, t)
    await rate(t)
    return await open_wallet(partner, t)


async def _answer(t, n: int):
    return await t.handle.execute_update(
        ParticipantWorkflow.answer_survey, SurveyRequest(t.account_id, n, "EMPLOYED", "kerja di kafe")
    )


async def _answer_surveys_until_paid(env, t) -> None:
    """Walk the calendar a day at a time, answering each survey the day it opens, until every tranche is paid."""
    for _ in range(100):
        await env.sleep(dt.timedelta(days=1))
        for x in (await _state(t)).incentives:
            if x.status is TrancheStatus.SURVEY_OPEN:
                await _answer(t, x.number)
        if all(x.status is TrancheStatus.PAID for x in (await _state(t)).incentives):
            return


@pytest.mark.timeout(180)
@pytest.mark.parametrize(
    ("scheme_id", "person"),
    [("NORMAL_2023", 20), ("SEMI_BANSOS_2020", 21)],
)
async def test_every_tranche_of_the_scheme_is_paid_once_from_certificate_to_last_survey(
    env, engine, partner, scheme_id, person
):
    scheme = get_scheme(scheme_id)
    t = await start_selected(env, engine, partner, PEOPLE[person], scheme_id)
    async with t.worker:
        await certify(env, engine, t)
        assert (await _state(t)).incentives == []  # certificate alone is not enough
        await rate(t)
        number = await open_wallet(partner, t)
        await _link(t, number)
        await env.sleep(dt.timedelta(minutes=1))
        state = await _state(t)
        assert [(x.kind, x.amount) for x in state.incentives] == [(p.kind, p.amount) for p in scheme.incentives]
        assert state.decisions[-1].kind == "INCENTIVES_SCHEDULED"
        await _answer_surveys_until_paid(env, t)
        state = await _state(t)
        assert [x.status for x in state.incentives] == [TrancheStatus.PAID] * len(scheme.incentives)
        job = [x for x in state.incentives if x.kind == "JOB_SEARCH"]
        # Monthly job-search payouts in 2020, one in 2023+; the first a day after the prerequisites.
        assert [round((x.paid_at - state.prerequisites_met_at) / dt.timedelta(days=1)) for x in job] == [
            1 + 30 * i for i in range(len(job))
        ]
        rows = [r for r in await PgPaymentStore(engine).for_case(t.case_id) if r.status is PaymentStatus.PAID]
        assert sum(r.amount for r in rows) == scheme.incentive_package == sum(x.amount for x in state.incentives)
        assert len(await partner.transfers(key_prefix=f"{t.case_id}:")) == len(scheme.incentives)
        # The job-search period follows the last incentive; then the workflow ends and the case stays readable.
        await env.sleep(dt.timedelta(days=1))
        assert (await _state(t)).stage is Stage.JOB_SEARCH
        await env.sleep(scheme.job_search_period)
        assert await t.handle.result() == "CLOSED"
        # A run of the current generation takes every patch without recording it.
        assert patch_markers(await t.handle.fetch_history()) == 0
        await replay_and_maybe_record(env.client, t.handle.id, f"participant_paid_{scheme_id.lower()}")


@pytest.mark.timeout(120)
async def test_nik_mismatch_at_transfer_fails_the_payout_until_a_relinked_account_is_paid(env, engine, partner):
    t = await start_selected(env, engine, partner, PEOPLE[22], "NORMAL_2023")
    async with t.worker:
        wallet = await _certified_and_rated(env, engine, partner, t)
        await _link(t, wallet)
        # The phone number was recycled: the e-wallet now belongs to someone else.
        await partner.reassign_account(Provider.OVO, wallet, PEOPLE[40].nik, PEOPLE[40].full_name)
        await env.sleep(dt.timedelta(days=2))
        state = await _state(t)
        first = state.incentives[0]
        assert first.status is TrancheStatus.FAILED and first.failure_code == "NIK_MISMATCH"
        assert "not yours" in first.failure_reason
        await t.handle.execute_update(ParticipantWorkflow.unlink_payout_account, UnlinkAccountRequest(t.account_id))
        with pytest.raises(WorkflowUpdateFailedError) as refused:  # someone else's account cannot be linked
            await _link(t, wallet)
        assert refused.value.cause.type == "NIK_MISMATCH"
        bank = "1234567890"
        await partner.open_account(Provider.BNI, bank, t.nik, t.name)
        await _link(t, bank, Provider.BNI)
        await env.sleep(dt.timedelta(minutes=5))
        first = (await _state(t)).incentives[0]
        assert first.status is TrancheStatus.PAID and first.attempt == 2
        rows = await PgPaymentStore(engine).for_case(t.case_id)
        assert sorted((r.attempt, r.status, r.provider) for r in rows) == [
            (1, PaymentStatus.FAILED, Provider.OVO),
            (2, PaymentStatus.PAID, Provider.BNI),
        ]


@pytest.mark.timeout(120)
async def test_linking_the_refused_account_again_after_fixing_it_retries_the_payout(env, engine, partner):
    """No unlink needed: the same account, linked again once the partner reopened it, is a relink."""
    t = await start_selected(env, engine, partner, PEOPLE[23], "NORMAL_2023")
    async with t.worker:
        wallet = await _certified_and_rated(env, engine, partner, t)
        await _link(t, wallet)
        await partner.close_account(Provider.OVO, wallet)
        await env.sleep(dt.timedelta(days=2))
        first = (await _state(t)).incentives[0]
        assert first.status is TrancheStatus.FAILED and first.failure_code == "ACCOUNT_CLOSED"
        with pytest.raises(WorkflowUpdateFailedError) as refused:  # still closed: refused, nothing changes
            await _link(t, wallet)
        assert refused.value.cause.type == "ACCOUNT_CLOSED"
        await partner.open_account(Provider.OVO, wallet, t.nik, t.name)
        relinked = await _link(t, wallet)
        assert relinked.link_no == 2 and relinked.account_number == wallet
        await env.sleep(dt.timedelta(minutes=5))
        first = (await _state(t)).incentives[0]
        assert first.status is TrancheStatus.PAID and first.attempt == 2
        assert (await _link(t, wallet)).link_no == 2  # linking it once more changes nothing: nothing refused now
        rows = await PgPaymentStore(engine).for_case(t.case_id)
        assert sorted((r.attempt, r.status) for r in rows) == [(1, PaymentStatus.FAILED), (2, PaymentStatus.PAID)]


@pytest.mark.timeout(120)
async def test_a_transfer_left_unconfirmed_is_asked_again_with_the_same_key_and_paid_once(env, engine, partner):
    t = await start_selected(env, engine, partner, PEOPLE[26], "NORMAL_2023")
    async with t.worker:
        wallet = await _certified_and_rated(env, engine, partner, t)
        # Every try within the workflow task is lost; the last one after the partner committed the transfer.
        partner.script(wallet, "TIMEOUT", "TIMEOUT", "COMMIT_THEN_TIMEOUT")
        await _link(t, wallet)
        await env.sleep(dt.timedelta(days=1, minutes=5))

        async def unconfirmed():
            first = (await _state(t)).incentives[0]
            return first if first.failure_code else None

        first = await until(unconfirmed, 30, "the transfer's tries to run out")
        assert (first.status, first.failure_code, first.attempt) == (TrancheStatus.PAYABLE, "TRANSFER_UNCONFIRMED", 0)
        assert "tried again" in first.failure_reason and first.retry_at is not None
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert (row.status, row.attempt) == (PaymentStatus.PENDING, 1)
        await env.sleep(get_scheme("NORMAL_2023").payout_retry_after + dt.timedelta(minutes=5))
        first = (await _state(t)).incentives[0]
        [row] = await PgPaymentStore(engine).for_case(t.case_id)
        assert (first.status, first.attempt, row.status, row.key) == (
            TrancheStatus.PAID,
            1,
            PaymentStatus.PAID,
            row.key,
        )
        assert first.partner_ref == row.partner_ref
        [transfer] = await partner.transfers(key_prefix=f"{t.case_id}:")
        assert transfer.key == row.key


@pytest.mark.timeout(120)
async def test_an_unanswered_survey_lapses_and_is_not_paid(env, engine, partner):
    t = await start_selected(env, engine, partner, PEOPLE[23], "NORMAL_2023")
    async with t.worker:
        await _link(t, await _certified_and_rated(env, engine, partner, t))
        await env.sleep(dt.timedelta(days=32))
        assert (await _state(t)).incentives[1].status is TrancheStatus.SURVEY_OPEN
        await env.sleep(dt.timedelta(days=30))
        state = await _state(t)
        assert state.incentives[1].status is TrancheStatus.SURVEY_EXPIRED
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await _answer(t, 2)
        assert refused.value.cause.type == "SURVEY_CLOSED"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("repays", [True, False])
async def test_clawback_stops_incentives_and_runs_to_repayment_or_escalation(env, engine, partner, repays):
    from domain.payouts.messages import MarkIneligibleRequest, RepaymentRequest
    from domain.payouts.ports import ReceivableStatus

    t = await start_selected(env, engine, partner, PEOPLE[24 + int(repays)], "NORMAL_2023")
    async with t.worker:
        await _link(t, await _certified_and_rated(env, engine, partner, t))
        await env.sleep(dt.timedelta(days=2))  # the job-search incentive is paid
        c = await t.handle.execute_update(
            ParticipantWorkflow.mark_ineligible,
            MarkIneligibleRequest("auditor-1", "INCOME_ABOVE_THRESHOLD", "salary Rp5.2M", "BPK LHP 2021 no. 12"),
        )
        assert c.steps[0].step is ClawbackStep.STARTED
        await env.sleep(dt.timedelta(minutes=1))
        state = await _state(t)
        c = state.clawback
        assert [s.step for s in c.steps] == [
            ClawbackStep.STARTED,
            ClawbackStep.INCENTIVES_STOPPED,
            ClawbackStep.VOUCHERS_CANCELLED,
            ClawbackStep.RECEIVABLE_OPENED,
            ClawbackStep.PARTICIPANT_NOTIFIED,
        ]
        assert state.stage is Stage.CLAWBACK and state.enrollment.status is CardStatus.REVOKED
        assert [x.status for x in state.incentives] == [TrancheStatus.PAID] + [TrancheStatus.CANCELLED] * 2
        assert (c.training_aid, c.incentives, c.status) == (1_000_000, 600_000, ReceivableStatus.OPEN)
        assert c.due_at - c.started_at < dt.timedelta(days=60, minutes=2)
        if repays:
            await t.handle.execute_update(
                ParticipantWorkflow.record_repayment, RepaymentRequest("staff-2", "TRF-001", 600_000)
            )
            again = await t.handle.execute_update(  # the same reference is recorded once
                ParticipantWorkflow.record_repayment, RepaymentRequest("staff-2", "TRF-001", 600_000)
            )
            assert again.repaid == 600_000
            with pytest.raises(WorkflowUpdateFailedError) as refused:
                await t.handle.execute_update(
                    ParticipantWorkflow.record_repayment, RepaymentRequest("staff-2", "TRF-002", 2_000_000)
                )
            assert refused.value.cause.type == "OVERPAYMENT"
            await env.sleep(dt.timedelta(days=30))
            done = await t.handle.execute_update(
                ParticipantWorkflow.record_repayment, RepaymentRequest("staff-2", "TRF-003", 1_000_000)
            )
            assert done.status is ReceivableStatus.REPAID and done.outstanding == 0
            await env.sleep(dt.timedelta(days=40))  # the deadline passes: nothing more happens
        else:
            await env.sleep(dt.timedelta(days=61))
        state = await _state(t)
        stored = await PgReceivableStore(engine).get(t.case_id)
        expected = ReceivableStatus.REPAID if repays else ReceivableStatus.ESCALATED
        assert state.clawback.status is expected and stored.status is expected
        assert stored.repaid == (1_600_000 if repays else 0)
        assert state.clawback.steps[-1].step is (ClawbackStep.REPAID if repays else ClawbackStep.ESCALATED)
        assert len(await partner.transfers(key_prefix=f"{t.case_id}:")) == 1  # nothing paid after the marking
        await replay_and_maybe_record(
            env.client, t.handle.id, f"participant_clawback_{'repaid' if repays else 'lapsed'}"
        )
