"""Stage 7, incentives: the participant links a KYC-verified account of their own; once the first certificate is
rated the scheme's schedule is made, each tranche a durable timer; surveys open, must be answered in time, and are
paid when answered. Every transfer is exactly once: its business key never depends on a workflow run."""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.payouts import PayoutActivities
    from domain.application.form import phone_ok
    from domain.case import Stage
    from domain.decisions import incentive_decision
    from domain.errors import ErrorCode
    from domain.notifications import schedule_text, survey_open_text
    from domain.payouts.messages import (
        ChangePhoneRequest,
        CheckAccountInput,
        LinkAccountRequest,
        PayInput,
        SurveyRequest,
        UnlinkAccountRequest,
    )
    from domain.payouts.ports import AccountVerdict, PaymentClaim, PaymentStatus
    from domain.payouts.schedule import all_settled, build_schedule, open_survey, prerequisites
    from domain.payouts.settlement import ACCOUNT_REFUSALS, settle
    from domain.payouts.tranches import (
        EMPLOYMENT_ANSWERS,
        TRANSFER_UNCONFIRMED,
        PayoutAccount,
        SurveyAnswer,
        Tranche,
        TrancheStatus,
        failure_text,
        refused_on,
    )
    from workflows.participant.case import CaseBase, Timer, refuse
    from workflows.participant.generations import PAY_AS_LOCAL_ACTIVITY, RELINK_LINKED_ACCOUNT
    from workflows.participant.payout_options import ACCOUNT_CHECK, LOCAL_ACTIVITY_FAILED, PAY_CALL, PAY_LOCALLY

UNLINK_FIRST = "Unlink your bank or e-wallet account before changing your phone."


class PayoutsStage(CaseBase):
    # -- the account ---------------------------------------------------------------------------
    @workflow.update
    async def link_payout_account(self, req: LinkAccountRequest) -> PayoutAccount:
        relink_in_place = self._patched(RELINK_LINKED_ACCOUNT)  # asked before the account check's local activity
        form = self.state.application
        assert form is not None
        try:
            check = await workflow.execute_local_activity_method(
                PayoutActivities.check_account,
                CheckAccountInput(req.provider, req.account_number, form.nik),
                **ACCOUNT_CHECK,
            )
        except LOCAL_ACTIVITY_FAILED as exc:
            raise refuse(
                ErrorCode.PAYMENT_PARTNER_UNAVAILABLE, f"{req.provider} cannot be reached; try again."
            ) from exc
        if check.verdict is not AccountVerdict.OK:
            raise refuse(*ACCOUNT_REFUSALS[check.verdict])
        current = self.state.payout_account
        if current is not None:  # a concurrent link finished first, or the participant fixed the linked account
            if (current.provider, current.account_number) != (req.provider, req.account_number):
                raise refuse(ErrorCode.ACCOUNT_ALREADY_LINKED, "An account is already linked; unlink it first.")
            if not (relink_in_place and refused_on(self.state.incentives, current.link_no)):
                return current
        self.state.link_count += 1
        account = PayoutAccount(
            req.provider, req.account_number, check.holder_name, self.state.link_count, workflow.now()
        )
        self.state.payout_account = account
        for t in self.state.incentives:
            if t.status is TrancheStatus.FAILED:  # a relink retries what the old account refused
                self._set_tranche(dataclasses.replace(t, status=TrancheStatus.PAYABLE, retry_at=None))
        self._wake += 1
        await self._project()
        return account

    @link_payout_account.validator
    def validate_link_payout_account(self, req: LinkAccountRequest) -> None:
        self._check_owner(req.account_id)
        if self.state.clawback is not None:
            raise refuse(ErrorCode.CLAWBACK_ACTIVE, "This case was found ineligible; incentives are stopped.")
        if self.state.enrollment is None:
            raise refuse(ErrorCode.NOT_ENROLLED, "Link an account once you are enrolled (after selection).")
        number = req.account_number
        if not (number.isdigit() and 6 <= len(number) <= 20):
            raise refuse(ErrorCode.INVALID_ARGUMENT, "An account number is 6 to 20 digits (e-wallets: your phone).")
        current = self.state.payout_account
        if current is not None and (current.provider, current.account_number) != (req.provider, number):
            raise refuse(ErrorCode.ACCOUNT_ALREADY_LINKED, "An account is already linked; unlink it first.")

    @workflow.update
    async def unlink_payout_account(self, req: UnlinkAccountRequest) -> PayoutAccount:
        account = self.state.payout_account
        if account is None:
            raise refuse(ErrorCode.NO_ACCOUNT_LINKED, "No account is linked.")
        self.state.payout_account = None
        await self._project()
        return account

    @unlink_payout_account.validator
    def validate_unlink_payout_account(self, req: UnlinkAccountRequest) -> None:
        self._check_owner(req.account_id)
        if self.state.payout_account is None:
            raise refuse(ErrorCode.NO_ACCOUNT_LINKED, "No account is linked.")
        if self._payout_lock.locked() or any(t.status is TrancheStatus.PENDING for t in self.state.incentives):
            raise refuse(ErrorCode.PAYOUT_IN_PROGRESS, "A transfer to this account is in progress; try again shortly.")

    @workflow.update
    async def change_phone(self, req: ChangePhoneRequest) -> str:
        form = self.state.application
        assert form is not None
        if self.state.payout_account is not None:
            raise refuse(ErrorCode.UNLINK_FIRST, UNLINK_FIRST)
        self.state.application = dataclasses.replace(form, phone=req.phone)
        await self._project()
        return req.phone

    @change_phone.validator
    def validate_change_phone(self, req: ChangePhoneRequest) -> None:
        self._check_owner(req.account_id)
        if not phone_ok(req.phone):
            raise refuse(ErrorCode.INVALID_ARGUMENT, "Enter an Indonesian mobile number (08…).")
        if self.state.payout_account is not None:
            raise refuse(ErrorCode.UNLINK_FIRST, UNLINK_FIRST)

    # -- surveys -------------------------------------------------------------------------------
    @workflow.update
    async def answer_survey(self, req: SurveyRequest) -> Tranche:
        self._check_survey(req)
        t = self.state.incentives[req.number - 1]
        if t.answered_at is None:
            t = dataclasses.replace(
                t,
                status=TrancheStatus.PAYABLE,
                answered_at=workflow.now(),
                answer=SurveyAnswer(req.employment, req.comment),
            )
            self._set_tranche(t)
            self._wake += 1
            await self._project()
        return t

    @answer_survey.validator
    def validate_answer_survey(self, req: SurveyRequest) -> None:
        self._check_owner(req.account_id)
        self._check_survey(req)

    def _check_survey(self, req: SurveyRequest) -> None:
        if not 1 <= req.number <= len(self.state.incentives) or self.state.incentives[req.number - 1].kind != "SURVEY":
            raise refuse(ErrorCode.SURVEY_NOT_FOUND, "There is no such survey in your schedule.")
        t = self.state.incentives[req.number - 1]
        if t.answered_at is not None:
            return  # a retried answer gets the same result
        if t.status is TrancheStatus.CANCELLED:
            raise refuse(ErrorCode.CLAWBACK_ACTIVE, "Incentives were stopped for this case.")
        if t.status is TrancheStatus.SCHEDULED:
            raise refuse(ErrorCode.SURVEY_NOT_OPEN, "This survey is not open yet.")
        if t.status is TrancheStatus.SURVEY_EXPIRED or (t.survey_due_at and workflow.now() > t.survey_due_at):
            raise refuse(ErrorCode.SURVEY_CLOSED, "The time to answer this survey is over.")
        if req.employment not in EMPLOYMENT_ANSWERS:
            raise refuse(ErrorCode.INVALID_ARGUMENT, f"employment must be one of {', '.join(EMPLOYMENT_ANSWERS)}.")

    # -- the schedule --------------------------------------------------------------------------
    def _payout_timers(self) -> list[Timer]:
        if self.state.clawback is not None:
            return []
        now = workflow.now()
        if all_settled(self.state.incentives):
            if self.state.incentives_settled_at is None:
                return [(now, self._start_job_search)]
            return [(self.state.incentives_settled_at + self.scheme.job_search_period, self._close_case)]
        if not self.state.incentives:
            met = prerequisites(self.state.trainings, self.state.payout_account).met
            return [(now, self._schedule_incentives)] if met else []
        timers: list[Timer] = []
        for t in self.state.incentives:
            n = t.number
            if t.status is TrancheStatus.SCHEDULED:
                action = self._pay_due if t.kind == "JOB_SEARCH" else self._open_survey
                timers.append((t.due_at, lambda n=n, action=action: action(n)))
            elif t.status is TrancheStatus.SURVEY_OPEN and t.survey_due_at is not None:
                timers.append((t.survey_due_at, lambda n=n: self._expire_survey(n)))
            elif t.status is TrancheStatus.PAYABLE and self.state.payout_account is not None:
                timers.append((t.retry_at or now, lambda n=n: self._pay(n)))
        return timers

    async def _schedule_incentives(self) -> None:
        now = workflow.now()
        self.state.prerequisites_met_at = now
        self.state.incentives = build_schedule(self.state.case_id, self.scheme, now)
        first = self.state.incentives[0]
        self.state.decisions.append(incentive_decision(self.scheme.incentive_package, self.scheme.ruleset_version, now))
        await self._notify_and_project("INCENTIVES_SCHEDULED", schedule_text(first.amount, first.due_at))

    async def _pay_due(self, n: int) -> None:
        self._set_tranche(dataclasses.replace(self.state.incentives[n - 1], status=TrancheStatus.PAYABLE))
        await self._pay(n)

    async def _open_survey(self, n: int) -> None:
        t = open_survey(self.state.incentives[n - 1], self.scheme)
        self._set_tranche(t)
        assert t.survey_due_at is not None
        await self._notify_and_project("SURVEY_OPEN", survey_open_text(t.survey_due_at), key=str(n))

    async def _expire_survey(self, n: int) -> None:
        t = self.state.incentives[n - 1]
        if t.status is TrancheStatus.SURVEY_OPEN:
            self._set_tranche(dataclasses.replace(t, status=TrancheStatus.SURVEY_EXPIRED))
            await self._project()

    async def _pay(self, n: int) -> None:
        async with self._payout_lock:
            t = self.state.incentives[n - 1]
            account = self.state.payout_account
            if t.status is not TrancheStatus.PAYABLE or account is None or self.state.clawback is not None:
                return
            form = self.state.application
            assert form is not None
            claim = PaymentClaim(
                self.state.case_id,
                n,
                t.attempt + 1,
                t.kind,
                t.amount,
                account.provider,
                account.account_number,
                account.link_no,
                workflow.now(),
            )
            later = self._settles_later()
            inp = PayInput(claim, form.nik, f"Insentif Kartu Prakerja {t.kind} {n}", accept_pending=later)
            if self._patched(PAY_AS_LOCAL_ACTIVITY):
                try:
                    row = await workflow.execute_local_activity_method(PayoutActivities.pay_tranche, inp, **PAY_LOCALLY)
                except LOCAL_ACTIVITY_FAILED:
                    await self._unreachable(t)
                    return
            else:
                row = await workflow.execute_activity_method(PayoutActivities.pay_tranche, inp, **PAY_CALL)
            if later and row.status is PaymentStatus.PENDING:
                await self._accepted(t, row, max(claim.attempt, row.attempt))
                return
            done = settle(
                t,
                account,
                row,
                max(claim.attempt, row.attempt),
                now=workflow.now(),
                retry_after=self.scheme.payout_retry_after,
            )
            self._set_tranche(done.tranche)
            if done.note is None:
                await self._project()
            else:
                await self._notify_and_project(done.note[0], done.note[1], key=done.note[2])

    async def _unreachable(self, t: Tranche) -> None:
        """No answer: the same attempt (key; the partner may have committed) is tried after ``payout_retry_after``."""
        retry = workflow.now() + self.scheme.payout_retry_after
        self._set_tranche(
            dataclasses.replace(
                t, failure_code=TRANSFER_UNCONFIRMED, failure_reason=failure_text(TRANSFER_UNCONFIRMED), retry_at=retry
            )
        )
        await self._project()

    async def _start_job_search(self) -> None:
        self.state.incentives_settled_at = workflow.now()
        if self.state.stage in (Stage.ENROLLED, Stage.TRAINING):
            self._set_stage(Stage.JOB_SEARCH)
        await self._project()

    async def _close_case(self) -> None:
        """The job-search period is over: the workflow ends; the read model keeps the case readable."""
        self._set_stage(Stage.CLOSED)
        await self._project()

    def _set_tranche(self, t: Tranche) -> None:
        self.state.incentives[t.number - 1] = t
