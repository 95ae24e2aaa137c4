"""Training for ``ParticipantWorkflow``: purchase with OTP, redeem, attendance, completion, certificate.

Partners' reports arrive as updates: validators refuse (nothing written) with a stable code; handlers re-check
under ``_market_lock`` (two purchases may both pass validation), then write through idempotent activities.
Every answer is reproducible from state, so a retried report gets the first answer, also after continue-as-new.
"""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.training import TrainingActivities
    from domain.case import Stage
    from domain.enrollment import OTP_TTL, OtpChallenge, otp_matches, purchase_refusal
    from domain.errors import ErrorCode
    from domain.ledger import EntryKind, LedgerEntry
    from domain.notifications import certificate_text, purchased_text
    from domain.training import (
        Cancellation,
        Course,
        Redemption,
        Refusal,
        Training,
        TrainingStatus,
        cancel_purchase_refusal,
        completion_report_refusal,
        completion_verdict,
        confirmation_refusal,
        redeem_refusal,
    )
    from domain.training_messages import (
        CancelRequest,
        CancelVoucherInput,
        CertificateInput,
        CompletionRequest,
        IssueOtpInput,
        OtpRequest,
        OtpSent,
        PurchaseRequest,
        PurchaseResult,
        RecordPurchaseInput,
        RedeemRequest,
        RedeemResult,
        TrainingView,
    )
    from domain.working_days import add_working_days
    from workflows.base import DB_WRITE, refuse
    from workflows.enrollment import EnrollmentMixin, Timer

_DB_REFUSALS = {
    "INSUFFICIENT_BALANCE": (ErrorCode.INSUFFICIENT_BALANCE, "The balance is less than the price."),
    "CARD_INACTIVE": (ErrorCode.CARD_INACTIVE, "This Kartu Prakerja is not active."),
    "SCHEDULE_FULL": (ErrorCode.SCHEDULE_FULL, "The schedule has no seats left."),
    "IDEMPOTENCY_KEY_REUSED": (
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "This idempotency key was already used for another participant's purchase.",
    ),
}


def raise_if(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise refuse(*refusal)


class TrainingMixin(EnrollmentMixin):
    # -- purchase ------------------------------------------------------------------------------
    @workflow.update
    async def request_purchase_otp(self, req: OtpRequest) -> OtpSent:
        challenge_id = f"{req.platform_code}:{req.request_id}"
        async with self._market_lock:
            now = workflow.now()
            known = next((c for c in self.state.otps if c.challenge_id == challenge_id), None)
            if known is None:
                self._check_purchase(req.course, req.price)
                form = self.state.application
                assert form is not None
                issued = await workflow.execute_local_activity_method(
                    TrainingActivities.issue_otp,
                    IssueOtpInput(self.state.case_id, challenge_id, form.phone, req.course.title, req.price, now),
                    **DB_WRITE,
                )
                known = OtpChallenge(
                    challenge_id,
                    req.platform_code,
                    req.course.course_code,
                    req.price,
                    issued.salt,
                    issued.digest,
                    now + OTP_TTL,
                )
                self.state.otps = [c for c in self.state.otps if c.expires_at > now] + [known]
            assert self.state.application is not None
            return OtpSent(known.challenge_id, known.expires_at, self.state.application.phone[-3:])

    @request_purchase_otp.validator
    def validate_request_purchase_otp(self, req: OtpRequest) -> None:
        if not any(c.challenge_id == f"{req.platform_code}:{req.request_id}" for c in self.state.otps):
            self._check_purchase(req.course, req.price)

    @workflow.update
    async def purchase(self, req: PurchaseRequest) -> PurchaseResult:
        async with self._market_lock:
            done = self._training_by_key(req.purchase_key)
            if done is not None:
                return self._purchase_result(done)
            self._check_purchase_request(req)  # again: another purchase may have won the lock first
            now = workflow.now()
            assert self.state.enrollment is not None
            recorded = await workflow.execute_local_activity_method(
                TrainingActivities.record_purchase,
                RecordPurchaseInput(
                    self.state.case_id,
                    self.state.enrollment.card_number,
                    req.purchase_key,
                    req.platform_code,
                    req.course,
                    req.price,
                    now,
                ),
                **DB_WRITE,
            )
            if recorded.status != "OK":
                raise refuse(*_DB_REFUSALS[recorded.status])
            assert recorded.debit is not None
            training = Training(
                req.purchase_key,
                recorded.invoice_code,
                recorded.voucher_code,
                recorded.redeem_code,
                req.course,
                req.price,
                now,
            )
            self.state.trainings.append(training)
            self.state.ledger.append(recorded.debit)
            self.state.otps = [c for c in self.state.otps if c.expires_at > now and not self._otp_used(c, req)]
            self.state.stage = Stage.TRAINING
            self._set_search_attributes()
            await self._notify_and_project(
                "PURCHASED", purchased_text(req.course.title, recorded.redeem_code), key=recorded.voucher_code
            )
            self._wake += 1
            return self._purchase_result(training)

    @purchase.validator
    def validate_purchase(self, req: PurchaseRequest) -> None:
        if self._training_by_key(req.purchase_key) is None:
            self._check_purchase_request(req)

    def _check_purchase(self, course: Course, price: int) -> None:
        raise_if(
            purchase_refusal(
                enrollment=self.state.enrollment,
                trainings=self.state.trainings,
                balance=self.balance(),
                course=course,
                price=price,
                now=workflow.now(),
            )
        )

    def _check_purchase_request(self, req: PurchaseRequest) -> None:
        self._check_purchase(req.course, req.price)
        if not any(self._otp_used(c, req) and c.expires_at >= workflow.now() for c in self.state.otps):
            raise refuse(ErrorCode.OTP_INVALID, "The OTP is wrong or expired; request a new one.")

    @staticmethod
    def _otp_used(challenge: OtpChallenge, req: PurchaseRequest) -> bool:
        return otp_matches(challenge, req.otp, platform_code=req.platform_code, course=req.course, price=req.price)

    def _training_by_key(self, purchase_key: str) -> Training | None:
        return next((t for t in self.state.trainings if t.purchase_key == purchase_key), None)

    def _purchase_result(self, t: Training) -> PurchaseResult:
        after = sum(
            e.amount if e.kind in (EntryKind.CREDIT, EntryKind.REFUND) else -e.amount
            for e in self.state.ledger[: self._ledger_position(t) + 1]
        )
        return PurchaseResult(
            t.purchase_key,
            t.invoice_code,
            t.voucher_code,
            t.redeem_code,
            t.course.course_code,
            t.price,
            after,
            t.purchased_at,
        )

    def _ledger_position(self, t: Training) -> int:
        """Index of the training's debit, so a retried purchase reports the balance right after it."""
        return next(
            i for i, e in enumerate(self.state.ledger) if e.kind is EntryKind.DEBIT and e.reference == t.voucher_code
        )

    # -- redeem and completion -----------------------------------------------------------------
    @workflow.update
    async def redeem(self, req: RedeemRequest) -> RedeemResult:
        async with self._market_lock:
            t = self._training_by_redeem_code(req.redeem_code)
            done = t.redemption(req.sequence)
            if done is not None and done.request_key == req.request_key and done.by == req.provider_code:
                return _redeem_view(t, req.sequence)
            raise_if(self._redeem_refusal(t, req))
            entry = Redemption(req.sequence, workflow.now(), req.provider_code, req.request_key)
            status = TrainingStatus.IN_TRAINING if t.status is TrainingStatus.PURCHASED else t.status
            t = self._replace(t, redemptions=(*t.redemptions, entry), status=status)
            await self._project()
            return _redeem_view(t, req.sequence)

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
        return _redeem_view(t, req.sequence)

    @workflow.update
    async def report_completion(self, req: CompletionRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(completion_report_refusal(t, provider_code=req.partner_code))
            if t.status is TrainingStatus.IN_TRAINING:
                t = self._replace(t, status=TrainingStatus.COMPLETION_REPORTED, completion_reported_at=workflow.now())
                await self._project()
            return self._view(t)

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
                window = add_working_days(now, self.scheme.certificate_verification_working_days) - now
                due = now + self.scheme.scaled(window)
                t = self._replace(t, status=TrainingStatus.VERIFYING, confirmed_at=now, verification_due=due)
                await self._project()
                self._wake += 1
            return self._view(t)

    @confirm_completion.validator
    def validate_confirm_completion(self, req: CompletionRequest) -> None:
        raise_if(confirmation_refusal(self._training_by_voucher(req.voucher_code), platform_code=req.partner_code))

    @workflow.update
    async def verify_completion(self, req: CompletionRequest) -> TrainingView:
        """Programme staff verify now instead of waiting for the verification timer (same rules)."""
        await self._verify_completion(req.voucher_code)
        return self._view(self._training_by_voucher(req.voucher_code))

    @verify_completion.validator
    def validate_verify_completion(self, req: CompletionRequest) -> None:
        t = self._training_by_voucher(req.voucher_code)
        if t.status not in (TrainingStatus.VERIFYING, TrainingStatus.CERTIFIED, TrainingStatus.NOT_CERTIFIED):
            raise refuse(ErrorCode.INVALID_TRAINING_STATE, "The platform has not confirmed this completion yet.")

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
                self._replace(t, status=TrainingStatus.NOT_CERTIFIED, status_reason=reason)
                await self._project()
                return
            serial = await workflow.execute_local_activity_method(
                TrainingActivities.issue_certificate,
                CertificateInput(self.state.case_id, t.voucher_code, t.course.course_code, now),
                **DB_WRITE,
            )
            self._replace(
                t, status=TrainingStatus.CERTIFIED, certificate_serial=serial, certified_at=now, status_reason=reason
            )
            await self._notify_and_project("CERTIFICATE", certificate_text(t.course.title, serial), key=t.voucher_code)

    # -- cancellation --------------------------------------------------------------------------
    @workflow.update
    async def cancel_training(self, req: CancelRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            self._check_cancel(t, req)
            if t.cancelled is None:
                t = await self._cancel_with_refund(t, Cancellation(req.kind), req.reason)
                await self._project()
            return self._view(t)

    @cancel_training.validator
    def validate_cancel_training(self, req: CancelRequest) -> None:
        self._check_cancel(self._training_by_voucher(req.voucher_code), req)

    def _check_cancel(self, t: Training, req: CancelRequest) -> None:
        if req.kind == Cancellation.TRANSACTION.value:
            raise_if(cancel_purchase_refusal(t, platform_code=req.actor))
        elif t.status in (TrainingStatus.CERTIFIED, TrainingStatus.NOT_CERTIFIED):
            raise refuse(ErrorCode.INVALID_TRAINING_STATE, "A finished training cannot be cancelled.")

    async def _cancel_with_refund(self, t: Training, kind: Cancellation, reason: str) -> Training:
        """The voucher cancelled and its price refunded to the card (keyed per voucher: a retry refunds once)."""
        refund = LedgerEntry(
            f"{self.state.case_id}:refund:{t.voucher_code}", EntryKind.REFUND, t.price, workflow.now(), t.voucher_code
        )
        stored = await workflow.execute_local_activity_method(
            TrainingActivities.cancel_voucher,
            CancelVoucherInput(self.state.case_id, t.voucher_code, kind.value, refund),
            **DB_WRITE,
        )
        self.state.ledger.append(stored)
        return self._replace(t, status=TrainingStatus.CANCELLED, cancelled=kind, status_reason=reason)

    # -- helpers -------------------------------------------------------------------------------
    def _training_by_redeem_code(self, code: str) -> Training:
        t = next((t for t in self.state.trainings if t.redeem_code == code), None)
        if t is None:
            raise refuse(ErrorCode.REDEEM_CODE_NOT_FOUND, "There is no such redeem code.")
        return t

    def _training_by_voucher(self, code: str) -> Training:
        t = next((t for t in self.state.trainings if t.voucher_code == code), None)
        if t is None:
            raise refuse(ErrorCode.REDEEM_CODE_NOT_FOUND, "There is no such voucher.")
        return t

    def _replace(self, t: Training, **changes: object) -> Training:
        i = self.state.trainings.index(t)
        new = dataclasses.replace(t, **changes)  # type: ignore[arg-type]
        self.state.trainings[i] = new
        return new

    def _view(self, t: Training) -> TrainingView:
        return TrainingView(
            t.voucher_code,
            t.redeem_code,
            t.invoice_code,
            t.course.course_code,
            t.status.value,
            t.status_reason,
            t.certificate_serial,
            self.balance(),
        )


def _redeem_view(t: Training, sequence: int) -> RedeemResult:
    used = t.redemption(sequence)
    return RedeemResult(
        redeem_code=t.redeem_code,
        voucher_code=t.voucher_code,
        invoice_code=t.invoice_code,
        course_code=t.course.course_code,
        schedule_code=f"{t.course.course_code}-{sequence:03d}",
        status="REDEEMED" if used else ("CANCELLED" if t.cancelled else "UNUSED"),
        attendance_status="ATTENDED" if used else "NOT_ATTENDED",
        redeem_at=used.at if used else None,
        dp_platform=t.course.platform_code,
        sequence=sequence,
    )
