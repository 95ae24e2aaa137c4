"""The real 25-minute limit of the basic-ability test, on Temporal's time-skipping test server."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError

from activities import WorkerPorts
from adapters.holiday_calendar import IndonesianCalendar
from adapters.question_bank import FileQuestionBank
from adapters.registries.fake import fake_registries
from adapters.registries.population import Population
from domain.ability_test.attempts import AttemptStatus
from domain.ability_test.messages import AnswerChoice, StartTestRequest, SubmitTestRequest
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.application.messages import ApplyRequest
from domain.application.registries import Answer, PersonQuery, Registry, RegistryAnswer
from domain.messages import ParticipantInput
from tests.fakes.case_store import MemoryCaseStore
from tests.fakes.unused import Unused
from tests.integration.helpers import clean_people
from worker import build_worker
from workflows.participant import ParticipantWorkflow

POPULATION = Population.generate(seed=11, size=3000)


class NoProgrammeRecords:
    registry = Registry.PROGRAMME

    async def lookup(self, query: PersonQuery) -> RegistryAnswer:
        return RegistryAnswer(self.registry, Answer.FOUND, dt.datetime.now(dt.UTC), memberships=("KK_SELECTED:0",))


def _form(person) -> ApplicationForm:
    home = Address("Jl. Melati 3", person.province_code, person.regency_code)
    return ApplicationForm(
        email="a@example.id",
        phone="081234567890",
        nik=person.nik,
        kk_number=person.kk_number,
        date_of_birth=person.date_of_birth,
        full_name=person.full_name,
        sex=Sex(person.sex),
        ktp_address=home,
        domicile=home,
        education=Education.SMA,
        employment_status=EmploymentStatus.JOB_SEEKER,
        training_interest="menjahit",
        consent=True,
    )


async def _case(env, task_queue: str, person) -> tuple:
    case_id = uuid.uuid4().hex
    account = f"acct-{case_id[:8]}"
    # The time-skipping server (1.40) crashes on update-with-start here; the dev-server tests cover it.
    handle = await env.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(case_id, "NORMAL_2023"),
        id=f"participant-{case_id}",
        task_queue=task_queue,
    )
    await handle.execute_update(ParticipantWorkflow.apply, ApplyRequest("req-00000001", account, _form(person)))
    return handle, account


def intake_worker(client: Any, task_queue: str) -> Any:
    """A worker for application and the ability test: in-memory cases, fake registries, nothing else."""
    return build_worker(
        client,
        task_queue=task_queue,
        ports=WorkerPorts(
            calendar=IndonesianCalendar(),
            case_store=MemoryCaseStore(),
            registries=[NoProgrammeRecords(), *fake_registries(POPULATION, latency=(0.0, 0.001))],
            question_bank=FileQuestionBank(),
            wave_store=Unused("wave_store"),
            selection=Unused("selection"),
            blind_key=b"k",
            training_ledger=Unused("training_ledger"),
            outbox=Unused("outbox"),
            **{port: Unused(port) for port in ("partner", "payments", "receivables", "reconciliation", "complaints", "audit")},
        ),
    )


@pytest.mark.timeout(90)
async def test_answers_after_25_minutes_are_rejected_and_the_attempt_expires(env):
    task_queue = f"tq-{uuid.uuid4().hex[:8]}"
    worker = intake_worker(env.client, task_queue)
    bank = FileQuestionBank().current()
    async with worker:
        handle, account = await _case(env, task_queue, clean_people(POPULATION)[0])
        attempt = await handle.execute_update(ParticipantWorkflow.start_ability_test, StartTestRequest(account))
        assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=25)

        await env.sleep(dt.timedelta(minutes=26))
        answers = tuple(AnswerChoice(q, bank.questions[q].answer) for q in attempt.question_ids)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(ParticipantWorkflow.submit_ability_test, SubmitTestRequest(account, 1, answers))
        assert refused.value.cause.type == "ABILITY_TEST_EXPIRED"
        state = await handle.query(ParticipantWorkflow.snapshot)
        assert state.ability_test[0].status is AttemptStatus.EXPIRED  # the durable timer fired
        assert state.ability_test[0].correct is None

        # A second attempt answered at minute 24 is scored.
        second = await handle.execute_update(ParticipantWorkflow.start_ability_test, StartTestRequest(account))
        assert second.number == 2 and second.question_ids != attempt.question_ids
        await env.sleep(dt.timedelta(minutes=24))
        answers = tuple(AnswerChoice(q, bank.questions[q].answer) for q in second.question_ids)
        done = await handle.execute_update(
            ParticipantWorkflow.submit_ability_test, SubmitTestRequest(account, 2, answers)
        )
        assert done.status is AttemptStatus.PASSED and done.correct == 18
