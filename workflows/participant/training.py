"""Stage 6, training: the provider redeems the code per session (attendance), reports completion and test scores;
the platform confirms; the programme verifies within its working-day window (a durable timer, or staff earlier) and
issues the certificate; the participant rates the training once."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.calendar import CalendarActivities
    from activities.training import TrainingActivities
    from domain.errors import ErrorCode
    from domain.notifications import certificate_text
    from domain.texts.text import text
    from domain.training.messages import (
        CertificateInput,
        CompletionRequest,
        RatingRequest,
        RedeemRequest,
        RedeemResult,
        ScoreReport,
        TrainingView,
    )
    from domain.training.tasks import open_tasks
    from domain.training.trainings import (
        Redemption,
        Refusal,
        Training,
        TrainingStatus,
        completion_report_refusal,
        completion_verdict,
        confirmation_refusal,
        rating_refusal,
        redeem_refusal,
        score_refusal,
    )
    from domain.training.views import redeem_view, training_view
    from domain.working_days import WorkingDaysInput, add_working_days
    from workflows.participant.case import DB_WRITE, CaseBase, Timer, raise_if, refuse
    from workflows.participant.generations import SKILLS_TASKS_GATE_CERTIFICATE, WORKING_DAYS_FROM_CALENDAR


class TrainingStage(CaseBase):
    # -- redeem (attendance) -------------------------------------------------------------------
    @workflow.update
    async def redeem(self, req: RedeemRequest) -> RedeemResult:
        async with self._market_lock:
            t = self._training_by_redeem_code(req.redeem_code)
            done = t.redemption(req.sequence)
            if done is not None and done.request_key == req.request_key and done.by == req.provider_code:
                return redeem_view(t, req.sequence)
            raise_if(self._redeem_refusal(t, req))
            entry = Redemption(req.sequence, workflow.now(), req.provider_code, req.request_key)
            status = TrainingStatus.IN_TRAINING if t.status is TrainingStatus.PURCHASED else t.status
            t = self._replace_training(t, redemptions=(*t.redemptions, entry), status=status)
            await self._project()
            return redeem_view(t, req.sequence)

    @redeem.validator
    def validate_redeem(self, req: RedeemRequest) -> None:
        t = self._training_by_redeem_code(req.redeem_code)
        done = t.redemption(req.sequence)
        if done is None or done.request_key != req.request_key or done.by != req.provider_code:
            raise_if(self._redeem_refusal(t, req))

    def _redeem_refusal(self, t: Training, req: RedeemRequest) -> Refusal | None:
        return redeem_refusal(
            t,
            provider_code=req.provider_code,
            sequence=req.sequence,
            now=workflow.now(),
            declared_mode=req.declared_mode,
        )

    @workflow.query
    def redeem_status(self, req: RedeemRequest) -> RedeemResult | None:
        """The code's state for one sequence, for its own provider; ``None`` for anyone else."""
        t = next((t for t in self.state.trainings if t.redeem_code == req.redeem_code), None)
        if t is None or t.course.provider_code != req.provider_code:
            return None
        return redeem_view(t, req.sequence)

    def _training_by_redeem_code(self, code: str) -> Training:
        t = next((t for t in self.state.trainings if t.redeem_code == code), None)
        if t is None:
            raise refuse(ErrorCode.REDEEM_CODE_NOT_FOUND, "There is no such redeem code.")
        return t

    # -- completion and certificate ------------------------------------------------------------
    @workflow.update
    async def report_completion(self, req: CompletionRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(completion_report_refusal(t, provider_code=req.partner_code))
            if t.status is TrainingStatus.IN_TRAINING:
                now = workflow.now()
                t = self._replace_training(t, status=TrainingStatus.COMPLETION_REPORTED, completion_reported_at=now)
                if self._sets_tasks(t):
                    t = self._replace_training(
                        t, tasks=open_tasks(t.course.skills_tasks, now, self.scheme.skills_task_window)
                    )
                    self._wake += 1  # their deadlines
                    due = text("notify.TASKS_OPEN", title=t.course.title, due=t.tasks[0].due_at)
                    await self._notify_and_project("TASKS_OPEN", due, key=t.voucher_code)
                else:
                    await self._project()
            return training_view(t, self.balance())

    def _sets_tasks(self, t: Training) -> bool:
        """Skills tasks open after the sessions under a scheme that has them (2023+), for a course that sets them."""
        return bool(self.scheme.skills_tasks and t.course.skills_tasks) and self._patched(SKILLS_TASKS_GATE_CERTIFICATE)

    @report_completion.validator
    def validate_report_completion(self, req: CompletionRequest) -> None:
        raise_if(completion_report_refusal(self._training_by_voucher(req.voucher_code), provider_code=req.partner_code))

    @workflow.update
    async def confirm_completion(self, req: CompletionRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(confirmation_refusal(t, platform_code=req.partner_code))
            if t.status is TrainingStatus.COMPLETION_REPORTED:
                now = workflow.now()
                window = await self._working_days(now, self.scheme.certificate_verification_working_days) - now
                due = now + self.scheme.scaled(window)
                t = self._replace_training(t, status=TrainingStatus.VERIFYING, confirmed_at=now, verification_due=due)
                await self._project()
                self._wake += 1
            return training_view(t, self.balance())

    @confirm_completion.validator
    def validate_confirm_completion(self, req: CompletionRequest) -> None:
        raise_if(confirmation_refusal(self._training_by_voucher(req.voucher_code), platform_code=req.partner_code))

    @workflow.update
    async def verify_completion(self, req: CompletionRequest) -> TrainingView:
        """Programme staff verify now instead of waiting for the verification timer (same rules)."""
        await self._verify_completion(req.voucher_code)
        return training_view(self._training_by_voucher(req.voucher_code), self.balance())

    @verify_completion.validator
    def validate_verify_completion(self, req: CompletionRequest) -> None:
        t = self._training_by_voucher(req.voucher_code)
        if t.status not in (TrainingStatus.VERIFYING, TrainingStatus.CERTIFIED, TrainingStatus.NOT_CERTIFIED):
            raise refuse(ErrorCode.INVALID_TRAINING_STATE, "The platform has not confirmed this completion yet.")

    async def _working_days(self, start: datetime, days: int) -> datetime:
        """``days`` working days after ``start``: holidays from the calendar (recorded), or weekdays only in runs that
        started before the calendar was used."""
        if self._patched(WORKING_DAYS_FROM_CALENDAR):
            return await workflow.execute_local_activity_method(
                CalendarActivities.working_days_after, WorkingDaysInput(start, days), **DB_WRITE
            )
        return add_working_days(start, days)

    def _training_timers(self) -> list[Timer]:
        return [
            (t.verification_due, lambda code=t.voucher_code: self._verify_completion(code))
            for t in self.state.trainings
            if t.status is TrainingStatus.VERIFYING and t.verification_due is not None
        ]

    async def _verify_completion(self, voucher_code: str) -> None:
        async with self._market_lock:
            t = self._training_by_voucher(voucher_code)
            if t.status is not TrainingStatus.VERIFYING:
                return
            now = workflow.now()
            passed, reason = completion_verdict(t)
            if not passed:
                self._replace_training(t, status=TrainingStatus.NOT_CERTIFIED, status_reason=reason)
                await self._project()
                return
            serial = await workflow.execute_local_activity_method(
                TrainingActivities.issue_certificate,
                CertificateInput(self.state.case_id, t.voucher_code, t.course.course_code, now),
                **DB_WRITE,
            )
            self._replace_training(
                t, status=TrainingStatus.CERTIFIED, certificate_serial=serial, certified_at=now, status_reason=reason
            )
            await self._notify_and_project("CERTIFICATE", certificate_text(t.course.title, serial), key=t.voucher_code)

    # -- test scores and rating ----------------------------------------------------------------
    @workflow.update
    async def report_test_score(self, req: ScoreReport) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(score_refusal(t, provider_code=req.provider_code, kind=req.kind, score=req.score))
            field = "pre_test_score" if req.kind == "PRE" else "post_test_score"
            if getattr(t, field) is None:
                t = self._replace_training(t, **{field: req.score})
                await self._project()
            return training_view(t, self.balance())

    @report_test_score.validator
    def validate_report_test_score(self, req: ScoreReport) -> None:
        t = self._training_by_voucher(req.voucher_code)
        raise_if(score_refusal(t, provider_code=req.provider_code, kind=req.kind, score=req.score))

    @workflow.update
    async def rate_training(self, req: RatingRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(rating_refusal(t, stars=req.stars, review=req.review))
            if t.rating is None:
                t = self._replace_training(t, rating=req.stars, review=req.review, rated_at=workflow.now())
                await self._project()
            return training_view(t, self.balance())

    @rate_training.validator
    def validate_rate_training(self, req: RatingRequest) -> None:
        if self.state.account_id != req.account_id:
            raise refuse(ErrorCode.CASE_NOT_FOUND, "You have not applied yet.")
        raise_if(rating_refusal(self._training_by_voucher(req.voucher_code), stars=req.stars, review=req.review))
