"""Skills tasks on the time-skipping server: under the 2023+ scheme a course's TPM/UK tasks open with the completion
report, the platform's confirmation waits for them, a revise-then-pass, a task that lapses after 3×24 h and is
reopened by the provider, another provider refused, then the certificate; the 2020 scheme certifies the same course
on attendance alone. Both histories replay (and are recorded into the corpus when asked)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import pytest_asyncio
from temporalio.client import WorkflowUpdateFailedError

from adapters.db.engine import make_engine
from adapters.db.marketplace import PgMarketplace
from adapters.payments.fake_partner import FakePaymentPartner
from domain.training.messages import CompletionRequest, OtpRequest, PurchaseRequest, RedeemRequest
from domain.training.task_messages import GradeTaskRequest, SubmitTaskRequest, TaskRef
from domain.training.trainings import Course, TrainingMode, TrainingStatus
from tests.integration.helpers import clean_people
from tests.workflows.payout_steps import Trained, patch_markers, start_selected, terminate_started
from tests.workflows.test_ability_test_deadline import POPULATION
from tests.workflows.test_replay import replay_and_maybe_record
from workflows.participant import ParticipantWorkflow

PEOPLE = clean_people(POPULATION)
URL = "https://files.example.id/tugas-1.pdf"


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
async def _terminate():
    yield
    await terminate_started()


async def _bought_and_reported(env, engine, t: Trained) -> tuple[str, str]:
    """Buy a self-paced course that sets TPM 1 and UK 999, redeem it and report completion: (voucher, redeem)."""
    await env.sleep(dt.timedelta(hours=1))  # enrolled
    course = Course(
        f"T-{t.case_id[:6]}", "Barista", "lpk-p", "dp-p", 500_000, TrainingMode.SELF_PACED, "Kuliner",
        skills_tasks=(1, 999),
    )  # fmt: skip
    await t.handle.execute_update(ParticipantWorkflow.request_purchase_otp, OtpRequest("dp-p", course, 500_000, "r"))
    [sms] = [n for n in await PgMarketplace(engine).notifications(t.case_id) if n.kind == "PURCHASE_OTP"]
    otp = re.search(r"\b(\d{6})\b", sms.body).group(1)  # type: ignore[union-attr]
    bought = await t.handle.execute_update(
        ParticipantWorkflow.purchase, PurchaseRequest(f"dp-p:{t.case_id}", "dp-p", course, 500_000, otp)
    )
    await t.handle.execute_update(ParticipantWorkflow.redeem, RedeemRequest(bought.redeem_code, "lpk-p", 1, "a"))
    await t.handle.execute_update(
        ParticipantWorkflow.report_completion, CompletionRequest(bought.voucher_code, "lpk-p")
    )
    return bought.voucher_code, bought.redeem_code


async def _refused(call) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await call
    return failed.value.cause.type  # type: ignore[union-attr]


async def _training(t: Trained):
    [training] = (await t.handle.query(ParticipantWorkflow.snapshot)).trainings
    return training


@pytest.mark.timeout(120)
async def test_tasks_gate_the_certificate_with_revise_lapse_and_reopen(env, engine, partner):
    t = await start_selected(env, engine, partner, PEOPLE[30], "NORMAL_2023")
    h = t.handle
    async with t.worker:
        voucher, code = await _bought_and_reported(env, engine, t)
        opened = await _training(t)
        assert [(k.sequence, k.status.value) for k in opened.tasks] == [(1, "OPEN"), (999, "OPEN")]
        assert opened.tasks[0].due_at - opened.tasks[0].opened_at == dt.timedelta(hours=72)
        confirm = CompletionRequest(voucher, "dp-p")
        assert await _refused(h.execute_update(ParticipantWorkflow.confirm_completion, confirm)) == (
            "SKILLS_TASKS_PENDING"
        )

        mine = SubmitTaskRequest(code, 1, URL, "Saya belajar menakar kopi.", account_id=t.account_id)
        no_journal = SubmitTaskRequest(code, 1, URL, " ", account_id=t.account_id)
        assert await _refused(h.execute_update(ParticipantWorkflow.submit_skills_task, no_journal)) == (
            "INVALID_ARGUMENT"
        )
        sent = await h.execute_update(ParticipantWorkflow.submit_skills_task, mine)
        assert (sent.status, sent.assignment_status, sent.feedback_status) == ("SUBMITTED", 2, 0)
        assert (await h.execute_update(ParticipantWorkflow.submit_skills_task, mine)) == sent  # a retry

        other = GradeTaskRequest(code, "lpk-other", 1, "PASS", "bagus")
        assert await _refused(h.execute_update(ParticipantWorkflow.grade_skills_task, other)) == (
            "CODE_OF_OTHER_PROVIDER"
        )
        revise = GradeTaskRequest(code, "lpk-p", 1, "REVISE", "Tambahkan foto hasil.")
        graded = await h.execute_update(ParticipantWorkflow.grade_skills_task, revise)
        assert (graded.status, graded.feedback_status, graded.notes) == ("REVISE", 2, "Tambahkan foto hasil.")
        again = SubmitTaskRequest(code, 1, URL + "?v=2", "Dengan foto.", account_id=t.account_id)
        assert (await h.execute_update(ParticipantWorkflow.submit_skills_task, again)).submission_id == 2
        passed = await h.execute_update(
            ParticipantWorkflow.grade_skills_task, GradeTaskRequest(code, "lpk-p", 1, "PASS", "Lulus.")
        )
        assert (passed.status, passed.feedback_status, passed.grade_id) == ("PASSED", 1, 2)

        # UK 999 is never submitted: after 3×24 h it lapses; only the provider can reopen it.
        await env.sleep(dt.timedelta(hours=73))
        assert [k.status.value for k in (await _training(t)).tasks] == ["PASSED", "LAPSED"]
        late = SubmitTaskRequest(code, 999, URL, "Terlambat.", account_id=t.account_id)
        assert await _refused(h.execute_update(ParticipantWorkflow.submit_skills_task, late)) == "SKILLS_TASK_LAPSED"
        assert await _refused(h.execute_update(ParticipantWorkflow.confirm_completion, confirm)) == (
            "SKILLS_TASKS_PENDING"
        )
        reopened = await h.execute_update(ParticipantWorkflow.reopen_skills_task, TaskRef(code, "lpk-p", 999))
        assert reopened.status == "OPEN" and reopened.assignment_status == 1
        forwarded = SubmitTaskRequest(code, 999, URL, "", provider_code="lpk-p")  # through the official endpoint
        await h.execute_update(ParticipantWorkflow.submit_skills_task, forwarded)
        await h.execute_update(
            ParticipantWorkflow.grade_skills_task, GradeTaskRequest(code, "lpk-p", 999, "PASS", "Terampil.")
        )
        assert (await h.query(ParticipantWorkflow.skills_task, TaskRef(code, "lpk-p", 999))).feedback_status == 1
        assert await h.query(ParticipantWorkflow.skills_task, TaskRef(code, "lpk-other", 999)) is None

        await h.execute_update(ParticipantWorkflow.confirm_completion, confirm)
        done = await h.execute_update(ParticipantWorkflow.verify_completion, CompletionRequest(voucher, "staff:x"))
        assert done.status == "CERTIFIED" and done.certificate_serial
        kinds = [n.kind for n in await PgMarketplace(engine).notifications(t.case_id)]
        assert {"TASKS_OPEN", "TASK_GRADED", "TASK_LAPSED", "CERTIFICATE"} <= set(kinds)
        assert patch_markers(await h.fetch_history()) == 0  # generation 4 takes the patch unconditionally
    await replay_and_maybe_record(env.client, h.id, "participant_trained_with_tasks")


@pytest.mark.timeout(120)
async def test_the_2020_scheme_certifies_the_same_course_on_attendance_alone(env, engine, partner):
    t = await start_selected(env, engine, partner, PEOPLE[31], "SEMI_BANSOS_2020")
    async with t.worker:
        voucher, code = await _bought_and_reported(env, engine, t)
        assert (await _training(t)).tasks == ()
        submit = SubmitTaskRequest(code, 1, URL, "Jurnal.", account_id=t.account_id)
        assert await _refused(t.handle.execute_update(ParticipantWorkflow.submit_skills_task, submit)) == (
            "SKILLS_TASK_NOT_FOUND"
        )
        await t.handle.execute_update(ParticipantWorkflow.confirm_completion, CompletionRequest(voucher, "dp-p"))
        done = await t.handle.execute_update(
            ParticipantWorkflow.verify_completion, CompletionRequest(voucher, "staff:x")
        )
        assert done.status == "CERTIFIED"
        assert (await _training(t)).status is TrainingStatus.CERTIFIED
    await replay_and_maybe_record(env.client, t.handle.id, "participant_trained_2020")
