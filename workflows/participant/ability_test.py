"""Stage 2, the basic-ability test ("Tes Motivasi & Kemampuan Dasar"): questions drawn reproducibly per attempt,
the attempt's time limit as a durable timer, scored against the scheme's pass mark, a limited number of attempts."""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.ability_test import AbilityTestActivities
    from domain.ability_test.attempts import AttemptStatus, TestAttempt
    from domain.ability_test.messages import DrawTestInput, ScoreTestInput, StartTestRequest, SubmitTestRequest
    from domain.case import Stage
    from domain.durations import describe
    from domain.errors import ErrorCode
    from domain.progress import attempts_left, test_status
    from workflows.participant.case import DB_WRITE, CaseBase, Timer, refuse


class AbilityTestStage(CaseBase):
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
            limit = describe(self.scheme.ability_test_duration)
            raise refuse(ErrorCode.ABILITY_TEST_EXPIRED, f"The {limit} for this attempt are over.")
        ids = set(attempt.question_ids)
        if len({a.question_id for a in req.answers}) != len(req.answers) or any(
            a.question_id not in ids or not 0 <= a.choice <= 9 for a in req.answers
        ):
            raise refuse(ErrorCode.INVALID_ARGUMENT, "Answers must name this attempt's questions, once each.")

    def _ability_test_timers(self) -> list[Timer]:
        """The open attempt's time limit."""
        attempt = self._open_attempt()
        return [] if attempt is None else [(attempt.deadline, lambda: self._expire(attempt))]

    def _open_attempt(self) -> TestAttempt | None:
        last = self.state.ability_test[-1] if self.state.ability_test else None
        return last if last is not None and last.status is AttemptStatus.IN_PROGRESS else None

    async def _expire(self, attempt: TestAttempt) -> None:
        async with self._test_lock:
            if self.state.ability_test[attempt.number - 1].status is AttemptStatus.IN_PROGRESS:
                expired = dataclasses.replace(attempt, status=AttemptStatus.EXPIRED, finished_at=attempt.deadline)
                self.state.ability_test[attempt.number - 1] = expired
                await self._project()
