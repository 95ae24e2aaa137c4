"""Stage 1, application: the participant applies (structural checks in the validator, the NIK and account claimed
in PostgreSQL), then the government registries decide eligibility. A registry that cannot answer never makes a case
ineligible: only the missing registry is asked again, on a durable timer with backoff."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows.options import LocalActivityOptions

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from activities.validation import ValidationActivities
    from domain.application.eligibility import evaluate, registries_for
    from domain.application.form import check_application
    from domain.application.messages import ApplyRequest, ApplyResult, CheckRegistriesInput
    from domain.application.registries import Answer
    from domain.case import Decision, Outcome, Stage
    from domain.clock import programme_date
    from domain.decisions import application_decision
    from domain.errors import ErrorCode
    from domain.messages import Registration
    from workflows.participant.case import DB_WRITE, CaseBase, refuse
    from workflows.participant.generations import REGISTRY_CHECKS_AS_LOCAL_ACTIVITY

REGISTRY_CALL: LocalActivityOptions = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1)),
}


class ApplicationStage(CaseBase):
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
        if claim.status is Registration.NIK_TAKEN:
            raise refuse(ErrorCode.ALREADY_APPLIED, "This NIK already has a case.")
        if claim.status is Registration.ACCOUNT_TAKEN:
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

    async def _validate(self) -> None:
        """Ask the registries that have not answered yet until every rule can be decided."""
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
            self._set_stage(Stage.ELIGIBLE if decision.outcome is Outcome.PASS else Stage.INELIGIBLE)
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
