"""``ParticipantWorkflow``: one durable workflow per participant, through the whole programme.

Read it top to bottom: the stages it stands on, in programme order, then the run loop. A case waits for its
application, validates it in the background, and then loops: enrol a selected participant, run whatever durable
deadline fell due (test time limit, first-purchase deadline and reminder, certificate verification, incentive
tranches and surveys, clawback steps), project the read model once per workflow task, and sleep until the next
deadline or until a handler (an update or the wave's signal) made something due. The history is kept short by
continue-as-new, carrying the whole state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.case import Stage
    from domain.messages import CaseState, ParticipantInput
    from domain.scheme import get_scheme
    from workflows.participant.ability_test import AbilityTestStage
    from workflows.participant.application import ApplicationStage
    from workflows.participant.case import Timer, due_in
    from workflows.participant.clawback import ClawbackStage
    from workflows.participant.enrollment import EnrollmentStage
    from workflows.participant.generations import (
        COALESCED_PROJECTIONS,
        ENROLMENT_IN_BULK,
        GENERATION,
        PATCHES,
        WAVE_RESULTS_AS_DATA,
    )
    from workflows.participant.operator import OperatorStage
    from workflows.participant.payouts import PayoutsStage
    from workflows.participant.purchase import PurchaseStage
    from workflows.participant.skills_tasks import SkillsTasksStage
    from workflows.participant.training import TrainingStage
    from workflows.participant.transfers import TransfersStage
    from workflows.participant.waves import WavesStage


@workflow.defn
class ParticipantWorkflow(
    ApplicationStage,  # apply; the registries decide eligibility
    AbilityTestStage,  # the basic-ability test
    WavesStage,  # join a wave; the lottery decides
    EnrollmentStage,  # card, balance, first-purchase deadline
    PurchaseStage,  # buy a training with an OTP; cancel before use
    TrainingStage,  # attend, complete, certificate, scores, rating
    SkillsTasksStage,  # TPM/UK tasks after the sessions (2023+): submit, grade, reopen; they gate the certificate
    PayoutsStage,  # account, incentive schedule, surveys, transfers; then job search
    TransfersStage,  # transfers the partner settles later: its report or a status check
    ClawbackStage,  # found ineligible after the fact: repay within 60 days
    OperatorStage,  # staff actions with four-eyes approval
):
    @workflow.init
    def __init__(self, inp: ParticipantInput) -> None:
        self.state = inp.state or CaseState(case_id=inp.case_id, scheme_id=inp.scheme_id)
        self.scheme = get_scheme(self.state.scheme_id)
        self._generation = inp.generation
        # A run of generation 3 has it from the start: a wave's signal delivered with the run's first activation
        # (right after continue-as-new) is handled before ``run`` starts. Older runs ask at run start.
        self._results_as_data = inp.generation >= PATCHES[WAVE_RESULTS_AS_DATA]
        self._enrolment_in_bulk = inp.generation >= PATCHES[ENROLMENT_IN_BULK]
        self._wake = 0
        self._test_lock = asyncio.Lock()
        self._wave_lock = asyncio.Lock()
        self._market_lock = asyncio.Lock()
        self._payout_lock = asyncio.Lock()
        self._early_reports: set[str] = set()
        self._validation = None

    @workflow.run
    async def run(self, inp: ParticipantInput) -> str:
        self._coalesce = self._patched(COALESCED_PROJECTIONS)  # first, before any local activity
        self._results_as_data = self._results_as_data or self._patched(WAVE_RESULTS_AS_DATA)
        if self.state.application is None:
            try:
                await workflow.wait_condition(
                    lambda: self.state.application is not None, timeout=self.scheme.application_grace
                )
            except TimeoutError:
                return "NO_APPLICATION"  # started by an apply that was refused: close unused
        if self.state.stage is Stage.VALIDATING:
            self._validation = asyncio.create_task(self._validate())
        self._looping = True
        while True:
            seen = self._wake
            if self._needs_enrollment():
                await self._enroll()
                continue
            timeout, action = due_in(self._timers(), workflow.now())
            if action is not None and timeout == timedelta(0):
                await action()
                if self.state.stage is Stage.CLOSED:
                    await self._handlers_finished()
                    return "CLOSED"
                continue
            if await self._project_pending():
                continue  # what fell due meanwhile runs first
            try:
                await workflow.wait_condition(self._woken_since(seen), timeout=timeout)
            except TimeoutError:
                continue  # the loop runs whatever fell due
            if self._wake == seen and self._may_continue_as_new():
                await self._handlers_finished()
                workflow.continue_as_new(
                    ParticipantInput(self.state.case_id, self.state.scheme_id, self.state, GENERATION)
                )

    def _timers(self) -> list[Timer]:
        """Every durable deadline of the case; the loop sleeps until the earliest one."""
        return (
            self._enrollment_timers()
            + self._training_timers()
            + self._skills_task_timers()
            + self._payout_timers()
            + self._transfer_timers()
            + self._clawback_timers()
            + self._ability_test_timers()
        )

    def _woken_since(self, seen: int) -> Callable[[], bool]:
        return lambda: self._wake != seen or self._unprojected is not None or self._may_continue_as_new()

    async def _handlers_finished(self) -> None:
        """Before the run ends: every handler done and everything projected (a handler may change the case
        while the last projection is written)."""
        while True:
            await workflow.wait_condition(workflow.all_handlers_finished)
            if not await self._project_pending():
                return

    def _may_continue_as_new(self) -> bool:
        idle = self._validation is None or self._validation.done()
        return idle and workflow.info().is_continue_as_new_suggested()

    @workflow.query
    def snapshot(self) -> CaseState:
        return self.state
