"""Stage 5, buying a training: a digital platform asks for an OTP to the participant's phone, then buys with it.
Validators refuse (nothing written) with a stable code; handlers re-check under ``_market_lock`` (two purchases may
both pass validation), then write through idempotent activities. A retried purchase gets the first receipt, also
after continue-as-new. A voucher cancelled before it is used is refunded to the card."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.training import TrainingActivities
    from domain.case import Stage
    from domain.enrollment.enrollment import (
        OTP_TTL,
        OtpChallenge,
        challenge_for,
        otp_matches,
        otp_refusal,
        otp_request_refusal,
        purchase_refusal,
    )
    from domain.enrollment.ledger import EntryKind, LedgerEntry
    from domain.errors import ErrorCode
    from domain.notifications import purchased_text
    from domain.training.messages import (
        CancelRequest,
        CancelVoucherInput,
        IssueOtpInput,
        OtpRequest,
        OtpSent,
        PurchaseOutcome,
        PurchaseRequest,
        PurchaseResult,
        RecordPurchaseInput,
        TrainingView,
    )
    from domain.training.trainings import Cancellation, Course, Training, TrainingStatus, cancel_purchase_refusal
    from domain.training.views import purchase_receipt, training_view
    from workflows.participant.case import DB_WRITE, CaseBase, raise_if, refuse

_DB_REFUSALS = {
    PurchaseOutcome.INSUFFICIENT_BALANCE: (ErrorCode.INSUFFICIENT_BALANCE, "The balance is less than the price."),
    PurchaseOutcome.CARD_INACTIVE: (ErrorCode.CARD_INACTIVE, "This Kartu Prakerja is not active."),
    PurchaseOutcome.SCHEDULE_FULL: (ErrorCode.SCHEDULE_FULL, "The schedule has no seats left."),
    PurchaseOutcome.IDEMPOTENCY_KEY_REUSED: (
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "This idempotency key was already used for another participant's purchase.",
    ),
}
"""What the database's own guards refused (a purchase that passed the workflow's checks)."""


class PurchaseStage(CaseBase):
    @workflow.update
    async def request_purchase_otp(self, req: OtpRequest) -> OtpSent:
        challenge_id = f"{req.platform_code}:{req.request_id}"
        async with self._market_lock:
            now = workflow.now()
            known = next((c for c in self.state.otps if c.challenge_id == challenge_id), None)
            if known is None:
                self._check_purchase(req.course, req.price)
                raise_if(otp_request_refusal(self.state.otp_requests, now))
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
                recent = [at for at in self.state.otp_requests if now - at < timedelta(hours=1)]
                self.state.otp_requests = [*recent, now]
            assert self.state.application is not None
            return OtpSent(known.challenge_id, known.expires_at, self.state.application.phone[-3:])

    @request_purchase_otp.validator
    def validate_request_purchase_otp(self, req: OtpRequest) -> None:
        if not any(c.challenge_id == f"{req.platform_code}:{req.request_id}" for c in self.state.otps):
            self._check_purchase(req.course, req.price)
            raise_if(otp_request_refusal(self.state.otp_requests, workflow.now()))

    @workflow.update
    async def purchase(self, req: PurchaseRequest) -> PurchaseResult:
        async with self._market_lock:
            done = self._training_by_key(req.purchase_key)
            if done is not None:
                return purchase_receipt(done, self.state.ledger)
            self._check_purchase(req.course, req.price)  # again: another purchase may have won the lock first
            self._check_otp(req)
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
            if recorded.status is not PurchaseOutcome.OK:
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
            self._set_stage(Stage.TRAINING)
            await self._notify_and_project(
                "PURCHASED", purchased_text(req.course.title, recorded.redeem_code), key=recorded.voucher_code
            )
            self._wake += 1
            return purchase_receipt(training, self.state.ledger)

    @purchase.validator
    def validate_purchase(self, req: PurchaseRequest) -> None:
        """The code itself is checked by the handler, which counts wrong codes (a validator changes nothing); here
        only that a usable challenge for this purchase exists."""
        if self._training_by_key(req.purchase_key) is None:
            self._check_purchase(req.course, req.price)
            live = self._live_challenges(req)
            if not live or all(c.void for c in live):
                raise_if(otp_refusal(live))

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

    def _check_otp(self, req: PurchaseRequest) -> None:
        """The code matches a live challenge of this purchase; otherwise the try is counted against every live one
        (at ``OTP_MAX_FAILURES`` a challenge is void) and refused."""
        live = self._live_challenges(req)
        if any(self._otp_used(c, req) for c in live):
            return
        tried = {c.challenge_id for c in live}
        self.state.otps = [
            dataclasses.replace(c, failures=c.failures + 1) if c.challenge_id in tried else c for c in self.state.otps
        ]
        raise_if(otp_refusal(self._live_challenges(req)))

    def _live_challenges(self, req: PurchaseRequest) -> list[OtpChallenge]:
        now = workflow.now()
        return [
            c
            for c in self.state.otps
            if c.expires_at >= now
            and challenge_for(c, platform_code=req.platform_code, course=req.course, price=req.price)
        ]

    @staticmethod
    def _otp_used(challenge: OtpChallenge, req: PurchaseRequest) -> bool:
        return otp_matches(challenge, req.otp, platform_code=req.platform_code, course=req.course, price=req.price)

    def _training_by_key(self, purchase_key: str) -> Training | None:
        return next((t for t in self.state.trainings if t.purchase_key == purchase_key), None)

    # -- cancellation --------------------------------------------------------------------------
    @workflow.update
    async def cancel_training(self, req: CancelRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            self._check_cancel(t, req)
            if t.cancelled is None:
                t = await self._cancel_with_refund(t, Cancellation(req.kind), req.reason)
                await self._project()
            return training_view(t, self.balance())

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
        return self._replace_training(t, status=TrainingStatus.CANCELLED, cancelled=kind, status_reason=reason)
