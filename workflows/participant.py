"""ParticipantWorkflow: one durable workflow per participant, from application to job search."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from domain.application import check_application
    from domain.case import Decision, Outcome, RuleResult, Stage, next_action
    from domain.clock import programme_date
    from domain.errors import ErrorCode
    from domain.messages import ApplyRequest, ApplyResult, CaseRecord, CaseState, ParticipantInput
    from domain.scheme import get_scheme
    from workflows.search_attributes import CASE_STAGE, PROVINCE

DB_WRITE = {"start_to_close_timeout": timedelta(seconds=10)}


@workflow.defn
class ParticipantWorkflow:
    @workflow.init
    def __init__(self, inp: ParticipantInput) -> None:
        self.state = inp.state or CaseState(case_id=inp.case_id, scheme_id=inp.scheme_id)
        self.scheme = get_scheme(self.state.scheme_id)

    @workflow.run
    async def run(self, inp: ParticipantInput) -> str:
        if self.state.application is None:
            try:
                await workflow.wait_condition(
                    lambda: self.state.application is not None, timeout=self.scheme.application_grace
                )
            except TimeoutError:
                # Started by an apply that was refused (NIK or account already registered): close unused.
                return "NO_APPLICATION"
        # Later stages (validation, waves, training, incentives) continue from here.
        await workflow.wait_condition(lambda: workflow.info().is_continue_as_new_suggested())
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(ParticipantInput(self.state.case_id, self.state.scheme_id, self.state))

    # -- apply ---------------------------------------------------------------------------------
    @workflow.update
    async def apply(self, req: ApplyRequest) -> ApplyResult:
        if self._is_repeat(req):
            return self._apply_result()
        now = workflow.now()
        record = self._record(
            dataclasses.replace(
                self.state,
                account_id=req.account_id,
                application=req.form,
                applied_at=now,
                apply_request_id=req.request_id,
                stage=Stage.APPLIED,
                decisions=[*self.state.decisions, _application_decision(self.scheme.ruleset_version, now)],
                version=self.state.version + 1,
            )
        )
        claim = await workflow.execute_local_activity_method(CaseActivities.register_case, record, **DB_WRITE)
        if claim.status == "NIK_TAKEN":
            raise ApplicationError("This NIK already has a case.", type=ErrorCode.ALREADY_APPLIED.value)
        if claim.status == "ACCOUNT_TAKEN":
            raise ApplicationError("This account already has a case.", type=ErrorCode.ACCOUNT_HAS_CASE.value)
        if self.state.application is not None:  # a concurrent application finished first
            if self._is_repeat(req):
                return self._apply_result()
            raise ApplicationError("This NIK already has a case.", type=ErrorCode.ALREADY_APPLIED.value)
        self.state.account_id = req.account_id
        self.state.application = req.form
        self.state.applied_at = now
        self.state.apply_request_id = req.request_id
        self.state.decisions = list(record.decisions)
        self.state.version = record.version
        self._set_stage(Stage.APPLIED)
        return self._apply_result()

    @apply.validator
    def validate_apply(self, req: ApplyRequest) -> None:
        if self.state.application is not None and not self._is_repeat(req):
            raise ApplicationError("This NIK already has a case.", type=ErrorCode.ALREADY_APPLIED.value)
        problems = check_application(req.form, scheme=self.scheme, today=programme_date(workflow.now()))
        if problems:
            raise ApplicationError(
                "; ".join(p.message for p in problems), type=ErrorCode.INVALID_APPLICATION.value
            )

    def _is_repeat(self, req: ApplyRequest) -> bool:
        return self.state.apply_request_id == req.request_id and self.state.account_id == req.account_id

    def _apply_result(self) -> ApplyResult:
        assert self.state.applied_at is not None
        return ApplyResult(self.state.case_id, self.state.stage, self.state.applied_at)

    # -- state ---------------------------------------------------------------------------------
    @workflow.query
    def snapshot(self) -> CaseState:
        return self.state

    def _set_stage(self, stage: Stage) -> None:
        self.state.stage = stage
        assert self.state.application is not None
        workflow.upsert_search_attributes(
            [
                CASE_STAGE.value_set(stage.value),
                PROVINCE.value_set(self.state.application.domicile.province_code),
            ]
        )

    def _record(self, state: CaseState) -> CaseRecord:
        assert state.application is not None and state.account_id and state.applied_at
        return CaseRecord(
            case_id=state.case_id,
            workflow_id=workflow.info().workflow_id,
            account_id=state.account_id,
            scheme_id=state.scheme_id,
            stage=state.stage,
            version=state.version,
            application=state.application,
            decisions=tuple(state.decisions),
            next_action=next_action(state.stage),
            applied_at=state.applied_at,
            updated_at=workflow.now(),
        )


def _application_decision(ruleset_version: str, now: datetime) -> Decision:
    checks = [
        ("NIK_STRUCTURE", "NIK is 16 digits with a known area code and a valid encoded birth date."),
        ("NIK_MATCHES_BIRTH_DATE_AND_SEX", "The NIK's encoded birth date and sex match the form."),
        ("KK_STRUCTURE", "KK number is 16 digits with a known area code."),
        ("AGE", "Age is within the scheme's limits on the application date."),
        ("CONSENT", "Consent was given."),
    ]
    return Decision(
        kind="APPLICATION_RECORDED",
        outcome=Outcome.PASS,
        summary="Application recorded; registry validation follows.",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=tuple(RuleResult(rule, Outcome.PASS, reason, "APPLICATION", now) for rule, reason in checks),
    )
