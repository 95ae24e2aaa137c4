"""ParticipantWorkflow: one durable workflow per participant, from application to job search."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.ability_test import AbilityTestActivities
    from activities.cases import CaseActivities
    from activities.validation import ValidationActivities
    from activities.waves import WaveActivities
    from domain.ability_test import AttemptStatus, TestAttempt
    from domain.application import check_application
    from domain.case import Decision, Outcome, Stage
    from domain.clock import programme_date
    from domain.decisions import JOIN_REFUSALS, application_decision, wave_decision
    from domain.eligibility import evaluate, registries_for
    from domain.errors import ErrorCode
    from domain.messages import (
        ApplyRequest,
        ApplyResult,
        CaseState,
        CheckRegistriesInput,
        DrawTestInput,
        ParticipantInput,
        ScoreTestInput,
        StartTestRequest,
        SubmitTestRequest,
    )
    from domain.progress import attempts_left, test_status
    from domain.registries import Answer
    from domain.scheme import get_scheme
    from domain.waves import (
        JoinWaveRequest,
        RegisterJoinerInput,
        WaveDecided,
        WaveEntry,
        WaveResultInput,
    )
    from workflows.base import (
        COALESCED_PROJECTIONS,
        DB_WRITE,
        GENERATION,
        REGISTRY_CHECKS_AS_LOCAL_ACTIVITY,
        refuse,
    )
    from workflows.enrollment import Timer, due_in
    from workflows.operator import OperatorMixin

REGISTRY_CALL = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1)),
}


@workflow.defn
class ParticipantWorkflow(OperatorMixin):
    @workflow.init
    def __init__(self, inp: ParticipantInput) -> None:
        self.state = inp.state or CaseState(case_id=inp.case_id, scheme_id=inp.scheme_id)
        self.scheme = get_scheme(self.state.scheme_id)
        self._generation = inp.generation
        self._wake = 0
        self._test_lock = asyncio.Lock()
        self._wave_lock = asyncio.Lock()
        self._market_lock = asyncio.Lock()
        self._payout_lock = asyncio.Lock()
        self._validation: asyncio.Task[None] | None = None

    @workflow.run
    async def run(self, inp: ParticipantInput) -> str:
        self._coalesce = self._patched(COALESCED_PROJECTIONS)  # first, before any local activity
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
        timers = self._enrollment_timers() + self._training_timers() + self._payout_timers() + self._clawback_timers()
        attempt = self._open_attempt()
        if attempt is not None:
            timers.append((attempt.deadline, lambda: self._expire(attempt)))
        return timers

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

    # -- apply ---------------------------------------------------------------------------------
    @workflow.update
    async def apply(self, req: ApplyRequest) -> ApplyResult:
        if self._is_repeat(req):
            return self._apply_result()
        now = workflow.now()
        decision = application_decision(self.scheme.ruleset_version, now)
        candidate = dataclasses.replace(
            self.state,
            account_id=req.account_id,
            application=req.form,
            applied_at=now,
            apply_request_id=req.request_id,
            stage=Stage.VALIDATING,
            decisions=[*self.state.decisions, decision],
            version=self.state.version + 1,
        )
        claim = await workflow.execute_local_activity_method(
            CaseActivities.register_case, self._record(candidate), **DB_WRITE
        )
        if claim.status == "NIK_TAKEN":
            raise refuse(ErrorCode.ALREADY_APPLIED, "This NIK already has a case.")
        if claim.status == "ACCOUNT_TAKEN":
            raise refuse(ErrorCode.ACCOUNT_HAS_CASE, "This account already has a case.")
        if self.state.application is not None:  # a concurrent application finished first
            if self._is_repeat(req):
                return self._apply_result()
            raise refuse(ErrorCode.ALREADY_APPLIED, "This NIK already has a case.")
        self.state = candidate
        self._set_search_attributes()
        return self._apply_result()

    @apply.validator
    def validate_apply(self, req: ApplyRequest) -> None:
        if self.state.application is not None and not self._is_repeat(req):
            raise refuse(ErrorCode.ALREADY_APPLIED, "This NIK already has a case.")
        problems = check_application(req.form, scheme=self.scheme, today=programme_date(workflow.now()))
        if problems:
            raise refuse(ErrorCode.INVALID_APPLICATION, "; ".join(p.message for p in problems))

    def _is_repeat(self, req: ApplyRequest) -> bool:
        return self.state.apply_request_id == req.request_id and self.state.account_id == req.account_id

    def _apply_result(self) -> ApplyResult:
        assert self.state.applied_at is not None
        return ApplyResult(self.state.case_id, self.state.stage, self.state.applied_at)

    # -- validation ----------------------------------------------------------------------------
    async def _validate(self) -> None:
        form = self.state.application
        assert form is not None
        delay = self.scheme.registry_retry_initial
        while True:
            have = {a.registry: a for a in self.state.registry_answers}
            missing = tuple(r for r in registries_for(self.scheme) if r not in have)
            query = CheckRegistriesInput(self.state.case_id, form.nik, form.kk_number, missing)
            if self._patched(REGISTRY_CHECKS_AS_LOCAL_ACTIVITY):
                # One marker instead of three events and a workflow task; unavailable registries are
                # answered (not raised), so the local activity stays short.
                result = await workflow.execute_local_activity_method(
                    ValidationActivities.check_registries, query, **REGISTRY_CALL
                )
            else:
                result = await workflow.execute_activity_method(
                    ValidationActivities.check_registries, query, **REGISTRY_CALL
                )
            fresh = [a for a in result.answers if a.answer is not Answer.UNAVAILABLE]
            self.state.registry_answers = [*self.state.registry_answers, *fresh]
            answers = {a.registry: a for a in (*result.answers, *self.state.registry_answers)}
            decision = evaluate(form, answers, scheme=self.scheme, now=workflow.now())
            self._record_decision(decision)
            if decision.outcome is Outcome.PENDING:
                await self._project()
                await workflow.sleep(delay)
                delay = min(delay * 2, self.scheme.registry_retry_max)
                continue
            self.state.stage = Stage.ELIGIBLE if decision.outcome is Outcome.PASS else Stage.INELIGIBLE
            self._set_search_attributes()
            await self._project()
            self._wake += 1
            return

    def _record_decision(self, decision: Decision) -> None:
        """A still-pending eligibility decision is replaced, not appended, on every retry."""
        last = self.state.decisions[-1] if self.state.decisions else None
        if last is not None and last.kind == decision.kind and last.outcome is Outcome.PENDING:
            self.state.decisions[-1] = decision
        else:
            self.state.decisions.append(decision)

    # -- basic-ability test --------------------------------------------------------------------
    @workflow.update
    async def start_ability_test(self, req: StartTestRequest) -> TestAttempt:
        async with self._test_lock:
            current = self._open_attempt()
            if current is not None:
                return current
            number = len(self.state.ability_test) + 1
            drawn = await workflow.execute_local_activity_method(
                AbilityTestActivities.draw_ability_test,
                DrawTestInput(self.state.case_id, number, self.scheme.ability_test_questions),
                **DB_WRITE,
            )
            now = workflow.now()
            attempt = TestAttempt(
                number, drawn.bank_version, drawn.question_ids, now, now + self.scheme.ability_test_duration
            )
            self.state.ability_test.append(attempt)
            self._wake += 1
            await self._project()
            return attempt

    @start_ability_test.validator
    def validate_start_ability_test(self, req: StartTestRequest) -> None:
        self._check_owner(req.account_id)
        if self.state.stage is Stage.INELIGIBLE:
            raise refuse(ErrorCode.NOT_ELIGIBLE, "Your case is not eligible; the test is closed.")
        if test_status(self.state.ability_test) == AttemptStatus.PASSED:
            raise refuse(ErrorCode.ABILITY_TEST_PASSED, "You already passed the basic-ability test.")
        if self._open_attempt() is None and attempts_left(self.state.ability_test, self.scheme) == 0:
            raise refuse(ErrorCode.NO_ATTEMPTS_LEFT, "You have used every attempt at the test.")

    @workflow.update
    async def submit_ability_test(self, req: SubmitTestRequest) -> TestAttempt:
        async with self._test_lock:
            attempt = self.state.ability_test[req.attempt - 1]
            if attempt.status is not AttemptStatus.IN_PROGRESS:
                return attempt  # a retry of a submission that was already scored
            correct = await workflow.execute_local_activity_method(
                AbilityTestActivities.score_ability_test,
                ScoreTestInput(attempt.bank_version, attempt.question_ids, req.answers),
                **DB_WRITE,
            )
            passed = correct >= self.scheme.ability_test_pass_mark
            status = AttemptStatus.PASSED if passed else AttemptStatus.FAILED
            done = dataclasses.replace(attempt, status=status, correct=correct, finished_at=workflow.now())
            self.state.ability_test[req.attempt - 1] = done
            self._wake += 1
            await self._project()
            return done

    @submit_ability_test.validator
    def validate_submit_ability_test(self, req: SubmitTestRequest) -> None:
        self._check_owner(req.account_id)
        if not 1 <= req.attempt <= len(self.state.ability_test):
            raise refuse(ErrorCode.NO_TEST_IN_PROGRESS, "There is no such test attempt.")
        attempt = self.state.ability_test[req.attempt - 1]
        if attempt.status is AttemptStatus.EXPIRED or (
            attempt.status is AttemptStatus.IN_PROGRESS and workflow.now() > attempt.deadline
        ):
            raise refuse(ErrorCode.ABILITY_TEST_EXPIRED, "The 25 minutes for this attempt are over.")
        ids = set(attempt.question_ids)
        if len({a.question_id for a in req.answers}) != len(req.answers) or any(
            a.question_id not in ids or not 0 <= a.choice <= 9 for a in req.answers
        ):
            raise refuse(ErrorCode.INVALID_ARGUMENT, "Answers must name this attempt's questions, once each.")

    def _open_attempt(self) -> TestAttempt | None:
        last = self.state.ability_test[-1] if self.state.ability_test else None
        return last if last is not None and last.status is AttemptStatus.IN_PROGRESS else None

    async def _expire(self, attempt: TestAttempt) -> None:
        async with self._test_lock:
            if self.state.ability_test[attempt.number - 1].status is AttemptStatus.IN_PROGRESS:
                expired = dataclasses.replace(attempt, status=AttemptStatus.EXPIRED, finished_at=attempt.deadline)
                self.state.ability_test[attempt.number - 1] = expired
                await self._project()

    # -- waves ---------------------------------------------------------------------------------
    @workflow.update
    async def join_wave(self, req: JoinWaveRequest) -> WaveEntry:
        async with self._wave_lock:
            current = self._current_wave()
            if current is not None:
                return current  # a retried join of the same wave
            form = self.state.application
            assert form is not None
            joined = await workflow.execute_local_activity_method(
                WaveActivities.register_joiner,
                RegisterJoinerInput(req.wave_id, self.state.case_id, form.domicile.province_code, form.kk_number),
                **DB_WRITE,
            )
            if joined.status not in ("JOINED", "ALREADY_JOINED"):
                raise refuse(ErrorCode(joined.status), JOIN_REFUSALS[joined.status])
            entry = WaveEntry(req.wave_id, joined.joined_at or workflow.now())
            self.state.waves.append(entry)
            self.state.stage = Stage.IN_WAVE
            self._set_search_attributes()
            await self._project()
            return entry

    @join_wave.validator
    def validate_join_wave(self, req: JoinWaveRequest) -> None:
        self._check_owner(req.account_id)
        current = self._current_wave()
        if current is not None and current.wave_id == req.wave_id:
            return
        if self.state.stage is Stage.IN_WAVE:
            raise refuse(ErrorCode.ALREADY_IN_WAVE, "You are already in a wave; wait for its result.")
        if self.state.stage is Stage.SELECTED:
            raise refuse(ErrorCode.ALREADY_SELECTED, "You were already selected.")
        if self.state.stage is not Stage.ELIGIBLE:
            raise refuse(ErrorCode.NOT_ELIGIBLE, "Only eligible applicants can join a wave.")
        if test_status(self.state.ability_test) != AttemptStatus.PASSED:
            raise refuse(ErrorCode.TEST_NOT_PASSED, "Pass the basic-ability test before joining a wave.")

    @workflow.signal
    async def wave_decided(self, signal: WaveDecided) -> None:
        """Sent by the wave's fan-out; reads this case's own result. Repeats and unknown waves are ignored."""
        async with self._wave_lock:
            current = self._current_wave()
            if current is None or current.wave_id != signal.wave_id:
                return
            result = await workflow.execute_local_activity_method(
                WaveActivities.wave_result, WaveResultInput(signal.wave_id, self.state.case_id), **DB_WRITE
            )
            if not result.decided:
                return
            outcome = "SELECTED" if result.selected else "NOT_SELECTED"
            decided = dataclasses.replace(current, outcome=outcome, reason=result.reason, decided_at=workflow.now())
            self.state.waves[-1] = decided
            self.state.stage = Stage.SELECTED if result.selected else Stage.ELIGIBLE
            self.state.decisions.append(wave_decision(decided, self.scheme.ruleset_version))
            self._set_search_attributes()
            await self._project()
            self._wake += 1

    def _current_wave(self) -> WaveEntry | None:
        last = self.state.waves[-1] if self.state.waves else None
        return last if last is not None and last.outcome is None else None

    def _check_owner(self, account_id: str) -> None:
        if self.state.application is None or self.state.account_id != account_id:
            raise refuse(ErrorCode.CASE_NOT_FOUND, "You have not applied yet.")

    # -- state and projection ------------------------------------------------------------------
    @workflow.query
    def snapshot(self) -> CaseState:
        return self.state
