"""Operator actions on a case (staff console): what exists, which need four-eyes approval, and the rules of
requesting and approving them. Pure; the audit log and requests live behind ``domain.operator_ports``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class OperatorAction(StrEnum):
    EXTEND_DEADLINE = "EXTEND_DEADLINE"
    """Move the first-purchase deadline later (``days``)."""
    REVOKE = "REVOKE"
    """Revoke the card now; the remaining balance is forfeited."""
    REINSTATE = "REINSTATE"
    """Undo a revocation: the card is active again, the forfeited balance restored, a new first-purchase
    deadline starts if nothing was bought, and the NIK leaves the blacklist."""
    RETRY_PAYOUT = "RETRY_PAYOUT"
    """Try a failed or waiting incentive tranche (``tranche``) again now."""
    RESEND_NOTIFICATION = "RESEND_NOTIFICATION"
    """Send the case's latest notification of a kind (``kind``) again."""
    CORRECT_PROFILE = "CORRECT_PROFILE"
    """Correct the e-mail or the domicile street (``field``, ``value``); identity data come from Dukcapil."""
    MARK_INELIGIBLE = "MARK_INELIGIBLE"
    """Found ineligible after an audit (``evidence``, ``ineligibility``): starts the clawback."""


FOUR_EYES = frozenset(
    {OperatorAction.REVOKE, OperatorAction.REINSTATE, OperatorAction.RETRY_PAYOUT, OperatorAction.MARK_INELIGIBLE}
)
"""Money-affecting and revocation actions: requested by one staff member, approved by a different supervisor."""

REASON_CODES = {
    "PARTICIPANT_REQUEST": "the participant asked (complaint or call centre)",
    "DATA_ERROR": "the data on file is wrong",
    "SYSTEM_FAULT": "a system or partner fault affected the case",
    "AUDIT_FINDING": "an audit found a problem",
    "FRAUD_SUSPECTED": "suspected fraud",
    "POLICY_DECISION": "a programme management decision",
}

PARAMS = {
    OperatorAction.EXTEND_DEADLINE: ("days",),
    OperatorAction.REVOKE: (),
    OperatorAction.REINSTATE: (),
    OperatorAction.RETRY_PAYOUT: ("tranche",),
    OperatorAction.RESEND_NOTIFICATION: ("kind",),
    OperatorAction.CORRECT_PROFILE: ("field", "value"),
    OperatorAction.MARK_INELIGIBLE: ("ineligibility", "evidence"),
}
PROFILE_FIELDS = ("email", "street")


class RequestStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    """Approved and being carried out (a retried approval by the same supervisor carries it out again)."""
    EXECUTED = "EXECUTED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
    """Approved, but the case refused the action (its state had changed); the reason is kept."""


@dataclass(frozen=True, slots=True)
class ActionRequest:
    id: str
    case_id: str
    province_code: str
    action: OperatorAction
    params: dict[str, str]
    reason_code: str
    reason: str
    requested_by: str
    requested_at: dt.datetime
    expires_at: dt.datetime
    status: RequestStatus = RequestStatus.PENDING
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    result: str = ""

    def shown_status(self, now: dt.datetime) -> RequestStatus:
        if self.status is RequestStatus.PENDING and now >= self.expires_at:
            return RequestStatus.EXPIRED
        return self.status


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    """``staff:<id>``, ``supervisor:<id>``…"""
    action: str
    case_id: str | None
    reason_code: str
    reason: str
    detail: dict[str, str] = field(default_factory=dict)
    request_id: str | None = None
    id: int | None = None


def params_problem(action: OperatorAction, params: dict[str, str]) -> str | None:
    """What is wrong with an action's parameters, or ``None``."""
    wanted = PARAMS[action]
    missing = [p for p in wanted if not params.get(p, "").strip()]
    if missing:
        return f"{action.value} needs: {', '.join(missing)}"
    extra = sorted(set(params) - set(wanted))
    if extra:
        return f"{action.value} does not take: {', '.join(extra)}"
    if action is OperatorAction.EXTEND_DEADLINE and not (params["days"].isdigit() and 1 <= int(params["days"]) <= 30):
        return "days must be a whole number from 1 to 30"
    if action is OperatorAction.RETRY_PAYOUT and not params["tranche"].isdigit():
        return "tranche must be the incentive's number"
    if action is OperatorAction.CORRECT_PROFILE and params["field"] not in PROFILE_FIELDS:
        return f"field must be one of {', '.join(PROFILE_FIELDS)} (identity data come from Dukcapil)"
    return None


def approval_refusal(req: ActionRequest, approver: str, *, is_supervisor: bool, now: dt.datetime) -> str | None:
    """Why ``approver`` may not approve ``req`` now, or ``None``."""
    if not is_supervisor:
        return "Only a supervisor can approve."
    if approver == req.requested_by:
        return "Four-eyes: the requester cannot approve their own action."
    status = req.shown_status(now)
    if status is RequestStatus.EXPIRED:
        return "The request expired; request it again."
    if status is not RequestStatus.PENDING:
        return f"The request is already {status.value.lower()}."
    return None
