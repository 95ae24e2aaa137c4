"""Stage 8, clawback (Perpres 76/2020 art. 31C: an ineligible recipient repays the aid within 60 days).

Staff mark a recipient ineligible with a reason and evidence; the workflow then stops unpaid incentives,
cancels unused vouchers and revokes the card, opens a receivable for the training aid and incentives paid,
notifies the participant, and waits 60 days (a durable timer) for repayments before escalating to staff.
Each step is recorded with its time when done and retried (through its activities) until it is.
"""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.payouts import PayoutActivities
    from domain.case import Stage
    from domain.clawback.saga import Clawback, ClawbackStep, StepRecord, reason_text
    from domain.decisions import clawback_decision
    from domain.enrollment.enrollment import CardStatus
    from domain.enrollment.ledger import EntryKind
    from domain.errors import ErrorCode
    from domain.notifications import clawback_text, rupiah
    from domain.payouts.messages import MarkIneligibleRequest, ReceivableStatusInput, RepaymentRequest
    from domain.payouts.ports import Receivable, ReceivableStatus, Repayment
    from domain.payouts.schedule import paid_total
    from domain.payouts.tranches import OPEN, TrancheStatus
    from domain.training.trainings import Cancellation, TrainingStatus
    from workflows.participant.case import DB_WRITE, CaseBase, Timer, refuse


class ClawbackStage(CaseBase):
    @workflow.update
    async def mark_ineligible(self, req: MarkIneligibleRequest) -> Clawback:
        return await self._start_clawback(req)

    @mark_ineligible.validator
    def validate_mark_ineligible(self, req: MarkIneligibleRequest) -> None:
        self._check_clawback(req)

    async def _start_clawback(self, req: MarkIneligibleRequest) -> Clawback:
        if self.state.clawback is not None:
            return self.state.clawback  # a retry of the same marking (the validator refused any other)
        now = workflow.now()
        text = f"{reason_text(req.reason_code)}: {req.reason}"
        self.state.clawback = Clawback(
            req.reason_code,
            req.reason,
            req.evidence,
            req.staff_id,
            now,
            steps=(StepRecord(ClawbackStep.STARTED, now, text, actor=f"staff:{req.staff_id}"),),
        )
        self.state.decisions.append(
            clawback_decision(
                text,
                req.evidence,
                req.staff_id,
                self.scheme.ruleset_version,
                now,
                reason_code=req.reason_code,
                detail=req.reason,
            )
        )
        self._set_stage(Stage.CLAWBACK)
        self._wake += 1
        await self._project()
        return self.state.clawback

    def _check_clawback(self, req: MarkIneligibleRequest) -> None:
        c = self.state.clawback
        if c is not None:
            if (c.reason_code, c.reason, c.evidence) != (req.reason_code, req.reason, req.evidence):
                raise refuse(ErrorCode.CLAWBACK_ACTIVE, "This case is already marked ineligible.")
            return
        if reason_text(req.reason_code) is None:
            raise refuse(ErrorCode.INVALID_ARGUMENT, f"Unknown reason code {req.reason_code!r}.")
        if not req.reason.strip() or not req.evidence.strip():
            raise refuse(ErrorCode.INVALID_ARGUMENT, "Give the reason and the evidence (audit reference, document).")
        if self.state.enrollment is None:
            raise refuse(ErrorCode.NOT_ENROLLED, "Nothing was paid to this case; there is nothing to claw back.")

    @workflow.update
    async def record_repayment(self, req: RepaymentRequest) -> Clawback:
        c = self.state.clawback
        assert c is not None
        if req.reference in c.repayment_keys:
            return c
        now = workflow.now()
        r = await workflow.execute_local_activity_method(
            PayoutActivities.record_repayment,
            Repayment(
                f"{self.state.case_id}:repayment:{req.reference}", self.state.case_id, req.amount, req.reference, now
            ),
            **DB_WRITE,
        )
        c = self._clawback_step_done(
            ClawbackStep.REPAYMENT_RECORDED,
            f"{rupiah(req.amount)} received (reference {req.reference}); {rupiah(r.outstanding)} left",
            actor=f"staff:{req.staff_id}",
            repaid=r.repaid,
            repayment_keys=(*c.repayment_keys, req.reference),
        )
        if c.outstanding == 0:
            await self._close_receivable(ReceivableStatus.REPAID, "repaid in full")
        await self._project()
        assert self.state.clawback is not None
        return self.state.clawback

    @record_repayment.validator
    def validate_record_repayment(self, req: RepaymentRequest) -> None:
        c = self.state.clawback
        if c is None or c.status is None:
            raise refuse(ErrorCode.NO_RECEIVABLE, "This case has no open receivable.")
        if req.reference in c.repayment_keys:
            return
        if req.amount <= 0 or not req.reference.strip():
            raise refuse(ErrorCode.INVALID_ARGUMENT, "A repayment needs a positive amount and the transfer reference.")
        if req.amount > c.outstanding:
            raise refuse(ErrorCode.OVERPAYMENT, f"Only {rupiah(c.outstanding)} is outstanding.")

    # -- the saga ------------------------------------------------------------------------------
    def _clawback_timers(self) -> list[Timer]:
        c = self.state.clawback
        if c is None:
            return []
        if c.next_step() is not None:
            return [(workflow.now(), self._clawback_next)]
        if c.status is ReceivableStatus.OPEN and c.due_at is not None:
            return [(c.due_at, self._clawback_lapsed)]
        return []

    async def _clawback_next(self) -> None:
        c = self.state.clawback
        assert c is not None
        step = c.next_step()
        if step is ClawbackStep.INCENTIVES_STOPPED:
            await self._stop_incentives()
        elif step is ClawbackStep.VOUCHERS_CANCELLED:
            await self._cancel_unused_vouchers()
        elif step is ClawbackStep.RECEIVABLE_OPENED:
            await self._open_receivable()
        elif step is ClawbackStep.PARTICIPANT_NOTIFIED:
            assert c.due_at is not None
            await self._notify("CLAWBACK", clawback_text(c.amount_due, c.due_at, reason_text(c.reason_code) or ""))
            self._clawback_step_done(step, f"SMS and e-mail: repay {rupiah(c.amount_due)} by the deadline")
            if c.outstanding == 0:
                await self._close_receivable(ReceivableStatus.REPAID, "nothing was paid out")
        await self._project()

    async def _stop_incentives(self) -> None:
        async with self._payout_lock:  # a transfer in flight finishes (and counts) first
            stopped = [t for t in self.state.incentives if t.status in OPEN]
            for t in stopped:
                self._set_tranche(dataclasses.replace(t, status=TrancheStatus.CANCELLED, retry_at=None))
            unpaid = sum(t.amount for t in stopped)
            self._clawback_step_done(
                ClawbackStep.INCENTIVES_STOPPED, f"{len(stopped)} unpaid tranche(s) cancelled ({rupiah(unpaid)})"
            )

    async def _cancel_unused_vouchers(self) -> None:
        async with self._market_lock:
            unused = [t for t in self.state.trainings if t.status is TrainingStatus.PURCHASED and not t.redemptions]
            for t in unused:
                await self._cancel_with_refund(
                    t, Cancellation.VOUCHER, "cancelled: the participant was found ineligible"
                )
            e = self.state.enrollment
            remaining = self.balance()
            if e is not None and e.status is CardStatus.ACTIVE:
                await self._revoke_card("found ineligible after an audit", "INELIGIBLE_AFTER_AUDIT")
            self._clawback_step_done(
                ClawbackStep.VOUCHERS_CANCELLED,
                f"{len(unused)} unused voucher(s) cancelled; card revoked; {rupiah(remaining)} back to the treasury",
            )

    async def _open_receivable(self) -> None:
        c = self.state.clawback
        assert c is not None
        spent = sum(x.amount for x in self.state.ledger if x.kind is EntryKind.DEBIT) - sum(
            x.amount for x in self.state.ledger if x.kind is EntryKind.REFUND
        )
        now = workflow.now()
        r = await workflow.execute_local_activity_method(
            PayoutActivities.open_receivable,
            Receivable(
                self.state.case_id,
                training_aid=max(spent, 0),
                incentives=paid_total(self.state.incentives),
                reason_code=c.reason_code,
                reason=c.reason,
                evidence=c.evidence,
                opened_at=now,
                due_at=now + self.scheme.repayment_window,
                status=ReceivableStatus.OPEN,
            ),
            **DB_WRITE,
        )
        self._clawback_step_done(
            ClawbackStep.RECEIVABLE_OPENED,
            f"{rupiah(r.amount_due)} due ({rupiah(r.training_aid)} training aid + {rupiah(r.incentives)} incentives)",
            training_aid=r.training_aid,
            incentives=r.incentives,
            due_at=r.due_at,
            repaid=r.repaid,
            status=r.status,
        )

    async def _clawback_lapsed(self) -> None:
        c = self.state.clawback
        assert c is not None
        if c.status is ReceivableStatus.OPEN and c.outstanding > 0:
            await self._close_receivable(
                ReceivableStatus.ESCALATED,
                f"{rupiah(c.outstanding)} unpaid after the deadline: handed to staff for recovery",
            )
            await self._project()

    async def _close_receivable(self, status: ReceivableStatus, detail: str) -> None:
        await workflow.execute_local_activity_method(
            PayoutActivities.set_receivable_status,
            ReceivableStatusInput(self.state.case_id, status, workflow.now()),
            **DB_WRITE,
        )
        step = ClawbackStep.REPAID if status is ReceivableStatus.REPAID else ClawbackStep.ESCALATED
        self._clawback_step_done(step, detail, status=status)

    def _clawback_step_done(
        self, step: ClawbackStep, detail: str, *, actor: str = "system", **changes: object
    ) -> Clawback:
        c = self.state.clawback
        assert c is not None
        record = StepRecord(step, workflow.now(), detail, actor)
        self.state.clawback = dataclasses.replace(c, steps=(*c.steps, record), **changes)  # type: ignore[arg-type]
        return self.state.clawback
