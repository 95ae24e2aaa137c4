"""Enrollment's durable timers on Temporal's time-skipping test server, with the real PostgreSQL ledger:
the 7-day reminder and the 15-day first-purchase deadline (revocation, forfeit, blacklist), and the
completion-verification timer that issues the certificate without anyone acting."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import pytest_asyncio
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError

from activities import WorkerPorts
from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.db.outbox import PgOutbox
from adapters.db.tables import blacklist
from adapters.db.training_ledger import PgTrainingLedger
from adapters.holiday_calendar import FixedCalendar, IndonesianCalendar
from adapters.question_bank import FileQuestionBank
from domain.case import Stage
from domain.clock import WIB
from domain.enrollment.enrollment import CardStatus
from domain.enrollment.ledger import EntryKind
from domain.messages import CaseState, ParticipantInput
from domain.training.messages import CompletionRequest, OtpRequest, PurchaseRequest, RedeemRequest
from domain.training.trainings import Course, TrainingMode, TrainingStatus
from tests.fakes.case_store import MemoryCaseStore
from tests.fakes.unused import Unused
from tests.integration.helpers import clean_people
from tests.workflows.test_ability_test_deadline import POPULATION, _form
from tests.workflows.test_replay import replay_and_maybe_record
from worker import build_worker
from workflows.participant import ParticipantWorkflow


@pytest_asyncio.fixture(loop_scope="session")
async def engine(pg_url):
    e = make_engine(pg_url, pool_size=4, max_overflow=2)
    yield e
    await e.dispose()


async def _selected_case(env, engine, person, calendar=None) -> tuple:
    """A participant just selected in a wave, as a continued-as-new run would carry them."""
    calendar = calendar or IndonesianCalendar()
    task_queue = f"tq-{uuid.uuid4().hex[:8]}"
    case_id = uuid.uuid4().hex
    state = CaseState(
        case_id=case_id,
        scheme_id="NORMAL_2023",
        account_id=f"acct-{case_id[:8]}",
        stage=Stage.SELECTED,
        application=_form(person),
        applied_at=await env.get_current_time(),
        apply_request_id="req-00000001",
    )
    worker = build_worker(
        env.client,
        task_queue=task_queue,
        ports=WorkerPorts(
            calendar=calendar,
            case_store=MemoryCaseStore(),
            registries=[],
            question_bank=FileQuestionBank(),
            wave_store=Unused("wave_store"),
            selection=Unused("selection"),
            blind_key=b"k",
            training_ledger=PgTrainingLedger(engine),
            outbox=PgOutbox(engine),
            **{port: Unused(port) for port in ("partner", "payments", "receivables", "reconciliation", "complaints", "audit")},
        ),
    )
    handle = await env.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(case_id, "NORMAL_2023", state),
        id=f"participant-{case_id}",
        task_queue=task_queue,
    )
    return worker, handle, case_id


async def _kinds(engine, case_id: str) -> list[str]:
    return [n.kind for n in await PgMarketplace(engine).notifications(case_id)]


@pytest.mark.timeout(120)
async def test_reminder_then_revocation_when_nothing_is_bought_in_15_days(env, engine):
    worker, handle, case_id = await _selected_case(env, engine, clean_people(POPULATION)[5])
    async with worker:
        await env.sleep(dt.timedelta(hours=1))
        state = await handle.query(ParticipantWorkflow.snapshot)
        assert state.stage is Stage.ENROLLED and state.enrollment is not None
        e = state.enrollment
        assert e.purchase_deadline - e.enrolled_at == dt.timedelta(days=15)
        assert "PURCHASE_REMINDER" not in await _kinds(engine, case_id)

        await env.sleep(dt.timedelta(days=8))  # the reminder is due 7 days before the deadline
        assert "PURCHASE_REMINDER" in await _kinds(engine, case_id)
        assert (await handle.query(ParticipantWorkflow.snapshot)).stage is Stage.ENROLLED

        await env.sleep(dt.timedelta(days=7))
        state = await handle.query(ParticipantWorkflow.snapshot)
        assert state.stage is Stage.REVOKED and state.enrollment.status is CardStatus.REVOKED
        assert "15 days" in state.enrollment.revoke_reason
        assert state.decisions[-1].kind == "MEMBERSHIP_REVOKED"
        ledger = await PgMarketplace(engine).ledger(case_id)
        assert [(x.kind, x.amount) for x in ledger] == [(EntryKind.CREDIT, 3_500_000), (EntryKind.FORFEIT, 3_500_000)]
        async with engine.connect() as conn:
            assert await conn.scalar(select(blacklist.c.reason).where(blacklist.c.nik_index == case_id))
        assert "CARD_REVOKED" in await _kinds(engine, case_id)

        course = Course("C-1", "Menjahit", "lpk", "dp", 500_000, TrainingMode.SELF_PACED, "Fashion")
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(
                ParticipantWorkflow.request_purchase_otp, OtpRequest("dp", course, 500_000, "r1")
            )
        assert refused.value.cause.type == "CARD_INACTIVE"
        await replay_and_maybe_record(env.client, handle.id, "participant_revoked_no_purchase")


@pytest.mark.timeout(120)
async def test_the_verification_timer_issues_the_certificate(env, engine):
    worker, handle, case_id = await _selected_case(env, engine, clean_people(POPULATION)[6])
    course = Course("C-2", "Barista", "lpk-t", "dp-t", 1_000_000, TrainingMode.SELF_PACED, "Kuliner")
    async with worker:
        await env.sleep(dt.timedelta(days=14))  # bought on the last day: no revocation
        await handle.execute_update(
            ParticipantWorkflow.request_purchase_otp, OtpRequest("dp-t", course, 1_000_000, "r")
        )
        [sms] = [n for n in await PgMarketplace(engine).notifications(case_id) if n.kind == "PURCHASE_OTP"]
        otp = re.search(r"\b(\d{6})\b", sms.body).group(1)
        bought = await handle.execute_update(
            ParticipantWorkflow.purchase, PurchaseRequest("dp-t:k1", "dp-t", course, 1_000_000, otp)
        )
        assert bought.balance_after == 2_500_000
        await env.sleep(dt.timedelta(days=3))
        state = await handle.query(ParticipantWorkflow.snapshot)
        assert state.stage is Stage.TRAINING and state.enrollment.status is CardStatus.ACTIVE  # no revocation

        await handle.execute_update(ParticipantWorkflow.redeem, RedeemRequest(bought.redeem_code, "lpk-t", 1, "a"))
        await handle.execute_update(
            ParticipantWorkflow.report_completion, CompletionRequest(bought.voucher_code, "lpk-t")
        )
        view = await handle.execute_update(
            ParticipantWorkflow.confirm_completion, CompletionRequest(bought.voucher_code, "dp-t")
        )
        assert view.status == "VERIFYING" and view.certificate_serial is None
        await env.sleep(dt.timedelta(days=4))  # one working day, whatever the weekday
        [t] = (await handle.query(ParticipantWorkflow.snapshot)).trainings
        assert t.status is TrainingStatus.CERTIFIED and t.certificate_serial.startswith("PKJ/")
        assert t.certified_at <= t.verification_due + dt.timedelta(seconds=1)
        assert "CERTIFICATE" in await _kinds(engine, case_id)


@pytest.mark.timeout(120)
async def test_the_verification_window_skips_holidays_and_cuti_bersama(env, engine):
    today = (await env.get_current_time()).astimezone(WIB).date()
    days_off = frozenset(today + dt.timedelta(days=n) for n in range(1, 9))  # an Idulfitri-like week off
    worker, handle, case_id = await _selected_case(env, engine, clean_people(POPULATION)[7], FixedCalendar(days_off))
    course = Course("C-3", "Barista", "lpk-h", "dp-h", 1_000_000, TrainingMode.SELF_PACED, "Kuliner")
    async with worker:
        await env.sleep(dt.timedelta(minutes=1))  # the selected case enrols first
        await handle.execute_update(
            ParticipantWorkflow.request_purchase_otp, OtpRequest("dp-h", course, 1_000_000, "r")
        )
        [sms] = [n for n in await PgMarketplace(engine).notifications(case_id) if n.kind == "PURCHASE_OTP"]
        otp = re.search(r"\b(\d{6})\b", sms.body).group(1)
        bought = await handle.execute_update(
            ParticipantWorkflow.purchase, PurchaseRequest("dp-h:k1", "dp-h", course, 1_000_000, otp)
        )
        await handle.execute_update(ParticipantWorkflow.redeem, RedeemRequest(bought.redeem_code, "lpk-h", 1, "a"))
        await handle.execute_update(
            ParticipantWorkflow.report_completion, CompletionRequest(bought.voucher_code, "lpk-h")
        )
        await handle.execute_update(
            ParticipantWorkflow.confirm_completion, CompletionRequest(bought.voucher_code, "dp-h")
        )
        [t] = (await handle.query(ParticipantWorkflow.snapshot)).trainings
        due = t.verification_due.astimezone(WIB)
        assert due.date() > max(days_off) and due.weekday() < 5  # the first working day after the days off
        assert due.date() not in days_off
        await env.sleep(dt.timedelta(days=3))
        [t] = (await handle.query(ParticipantWorkflow.snapshot)).trainings
        assert t.status is TrainingStatus.VERIFYING  # a weekday-only count would have certified by now
        await env.sleep(dt.timedelta(days=10))
        [t] = (await handle.query(ParticipantWorkflow.snapshot)).trainings
        assert t.status is TrainingStatus.CERTIFIED
