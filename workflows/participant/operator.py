"""Stage 9, operator actions (staff console): one update per approved request (its ID is the request's, so an
action is carried out once however often the approval is retried). The validator refuses an action that no
longer fits the case, with nothing written."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.training import TrainingActivities
    from domain.case import Stage
    from domain.decisions import operator_revocation_decision, reinstatement_decision
    from domain.enrollment.enrollment import CardStatus
    from domain.enrollment.ledger import EntryKind, LedgerEntry
    from domain.errors import ErrorCode
    from domain.notifications import clawback_text, enrolled_text, reminder_text, revoked_text
    from domain.operator.actions import OperatorAction
    from domain.payouts.messages import MarkIneligibleRequest, OperatorCommand
    from domain.payouts.tranches import TrancheStatus
    from domain.texts.text import Text
    from domain.training.messages import ReinstateInput
    from domain.training.trainings import bought
    from workflows.participant.case import DB_WRITE, CaseBase, refuse

RESENDABLE = ("ENROLLED", "PURCHASE_REMINDER", "CLAWBACK")


def _not_applicable(message: str) -> ApplicationError:
    return refuse(ErrorCode.ACTION_NOT_APPLICABLE, message)


class OperatorStage(CaseBase):
    @workflow.update
    async def operator_action(self, cmd: OperatorCommand) -> str:
        action = OperatorAction(cmd.action)
        if action is OperatorAction.MARK_INELIGIBLE:
            req = self._ineligible_request(cmd)
            self._check_clawback(req)
            c = await self._start_clawback(req)
            return f"clawback started: {c.reason}"
        async with self._market_lock:
            self._check_operator(cmd)
            text = await self._carry_out(action, cmd)
            self._wake += 1
            await self._project()
            return text

    @operator_action.validator
    def validate_operator_action(self, cmd: OperatorCommand) -> None:
        if OperatorAction(cmd.action) is OperatorAction.MARK_INELIGIBLE:
            self._check_clawback(self._ineligible_request(cmd))
        else:
            self._check_operator(cmd)

    def _ineligible_request(self, cmd: OperatorCommand) -> MarkIneligibleRequest:
        return MarkIneligibleRequest(cmd.staff_id, cmd.params["ineligibility"], cmd.reason, cmd.params["evidence"])

    def _check_operator(self, cmd: OperatorCommand) -> None:
        action = OperatorAction(cmd.action)
        e = self.state.enrollment
        card_open = e is not None and e.status is CardStatus.ACTIVE
        if action is OperatorAction.EXTEND_DEADLINE and (not card_open or bought(self.state.trainings)):
            raise _not_applicable("Only an active card with no purchase yet has a first-purchase deadline.")
        if action is OperatorAction.REVOKE and not card_open:
            raise _not_applicable("The card is not active.")
        if action is OperatorAction.REINSTATE and (e is None or e.status is not CardStatus.REVOKED):
            raise _not_applicable("Only a revoked card can be reinstated.")
        if action is OperatorAction.REINSTATE and self.state.clawback is not None:
            raise _not_applicable("A case found ineligible after an audit cannot be reinstated.")
        if action is OperatorAction.RETRY_PAYOUT:
            n = int(cmd.params["tranche"])
            if not 1 <= n <= len(self.state.incentives) or self.state.incentives[n - 1].status not in (
                TrancheStatus.FAILED,
                TrancheStatus.PAYABLE,
            ):
                raise _not_applicable("Only a failed or waiting incentive can be retried.")
            if self.state.payout_account is None:
                raise _not_applicable("No account is linked; the participant must link one first.")
        if action is OperatorAction.RESEND_NOTIFICATION and cmd.params["kind"] not in RESENDABLE:
            raise refuse(ErrorCode.INVALID_ARGUMENT, f"kind must be one of {', '.join(RESENDABLE)}.")
        if action is OperatorAction.RESEND_NOTIFICATION and self._resend_text(cmd.params["kind"]) is None:
            raise _not_applicable("This case never had such a notification.")
        if (
            action is OperatorAction.CORRECT_PROFILE
            and cmd.params["field"] == "email"
            and "@" not in cmd.params["value"]
        ):
            raise refuse(ErrorCode.INVALID_ARGUMENT, "That is not an e-mail address.")

    async def _carry_out(self, action: OperatorAction, cmd: OperatorCommand) -> str:
        p = cmd.params
        if action is OperatorAction.EXTEND_DEADLINE:
            e = self.state.enrollment
            assert e is not None
            deadline = e.purchase_deadline + self.scheme.scaled(timedelta(days=int(p["days"])))
            reminder = deadline - self.scheme.purchase_reminder_before
            self.state.enrollment = dataclasses.replace(
                e,
                purchase_deadline=deadline,
                reminder_at=reminder,
                reminder_sent=e.reminder_sent and reminder <= workflow.now(),
            )
            return f"first-purchase deadline moved to {deadline.isoformat()}"
        if action is OperatorAction.REVOKE:
            return await self._operator_revoke(cmd)
        if action is OperatorAction.REINSTATE:
            return await self._operator_reinstate(cmd)
        if action is OperatorAction.RETRY_PAYOUT:
            t = self.state.incentives[int(p["tranche"]) - 1]
            self._set_tranche(dataclasses.replace(t, status=TrancheStatus.PAYABLE, retry_at=None))
            return f"incentive {t.number} will be paid again now"
        if action is OperatorAction.RESEND_NOTIFICATION:
            body = self._resend_text(p["kind"])
            assert body is not None
            await self._notify(p["kind"], body, key=f"resend:{cmd.request_id}")
            return f"{p['kind']} sent again"
        form = self.state.application
        assert form is not None
        if p["field"] == "email":
            self.state.application = dataclasses.replace(form, email=p["value"].strip())
        else:
            home = dataclasses.replace(form.domicile, street=p["value"].strip())
            self.state.application = dataclasses.replace(form, domicile=home)
        return f"{p['field']} corrected"

    async def _operator_revoke(self, cmd: OperatorCommand) -> str:
        remaining = await self._revoke_card(f"revoked by programme staff: {cmd.reason}", "OPERATOR_REVOKE")
        now = workflow.now()
        self.state.decisions.append(
            operator_revocation_decision(
                cmd.reason, cmd.staff_id, cmd.approved_by or "", remaining, self.scheme.ruleset_version, now
            )
        )
        self._set_stage(Stage.REVOKED)
        await self._notify("CARD_REVOKED", revoked_text(remaining), key=f"operator:{cmd.request_id}")
        return f"card revoked; Rp{remaining:,} forfeited"

    async def _operator_reinstate(self, cmd: OperatorCommand) -> str:
        e = self.state.enrollment
        assert e is not None
        now = workflow.now()
        forfeits = [x for x in self.state.ledger if x.kind is EntryKind.FORFEIT]
        restores = sum(1 for x in self.state.ledger if x.reference.startswith("REINSTATED"))
        amount = forfeits[-1].amount if forfeits else 0
        restore = None
        if amount > 0:
            key = f"{self.state.case_id}:restore:{restores + 1}"
            restore = LedgerEntry(key, EntryKind.REFUND, amount, now, f"REINSTATED:{forfeits[-1].entry_key}")
        await workflow.execute_local_activity_method(
            TrainingActivities.reinstate_card, ReinstateInput(self.state.case_id, restore, now), **DB_WRITE
        )
        if restore is not None:
            self.state.ledger.append(restore)
        has_bought = bought(self.state.trainings)
        deadline = e.purchase_deadline if has_bought else now + self.scheme.first_purchase_deadline
        self.state.enrollment = dataclasses.replace(
            e,
            status=CardStatus.ACTIVE,
            revoked_at=None,
            revoke_reason="",
            purchase_deadline=deadline,
            reminder_at=deadline - self.scheme.purchase_reminder_before,
            reminder_sent=has_bought,
        )
        self.state.decisions.append(
            reinstatement_decision(
                cmd.reason, cmd.staff_id, cmd.approved_by or "", amount, self.scheme.ruleset_version, now
            )
        )
        self._set_stage(Stage.TRAINING if has_bought else Stage.ENROLLED)
        await self._notify(
            "CARD_REINSTATED", enrolled_text(e.card_number, self.balance(), deadline), key=cmd.request_id
        )
        return f"card reinstated; Rp{amount:,} restored"

    def _resend_text(self, kind: str) -> Text | None:
        e = self.state.enrollment
        c = self.state.clawback
        if kind == "ENROLLED" and e is not None:
            return enrolled_text(e.card_number, e.credited, e.purchase_deadline)
        if kind == "PURCHASE_REMINDER" and e is not None:
            return reminder_text(e.purchase_deadline)
        if kind == "CLAWBACK" and c is not None and c.due_at is not None:
            return clawback_text(c.amount_due, c.due_at, c.reason)
        return None
