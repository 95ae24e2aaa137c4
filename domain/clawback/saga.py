"""Clawback after an audit (Perpres 76/2020 art. 31C): a recipient found ineligible after the
fact repays the training aid and the incentives within 60 days; the programme stops everything still unpaid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.payouts.ports import ReceivableStatus


class ClawbackStep(StrEnum):
    STARTED = "STARTED"
    INCENTIVES_STOPPED = "INCENTIVES_STOPPED"
    VOUCHERS_CANCELLED = "VOUCHERS_CANCELLED"
    RECEIVABLE_OPENED = "RECEIVABLE_OPENED"
    PARTICIPANT_NOTIFIED = "PARTICIPANT_NOTIFIED"
    REPAYMENT_RECORDED = "REPAYMENT_RECORDED"
    REPAID = "REPAID"
    ESCALATED = "ESCALATED"


SAGA = (
    ClawbackStep.INCENTIVES_STOPPED,
    ClawbackStep.VOUCHERS_CANCELLED,
    ClawbackStep.RECEIVABLE_OPENED,
    ClawbackStep.PARTICIPANT_NOTIFIED,
)
"""The steps run in order after STARTED; each is retried until done and recorded when it is."""

REASON_CODES = {
    "INCOME_ABOVE_THRESHOLD": "income above the programme's threshold",
    "ENROLLED_STUDENT": "enrolled as a full-time student",
    "STATE_EMPLOYEE": "a civil servant, soldier, police officer or state-company employee",
    "VILLAGE_OFFICIAL": "a village head or village official",
    "SOCIAL_AID_RECIPIENT": "received other social aid at the same time",
    "IDENTITY_FRAUD": "the identity used was not the applicant's own",
    "OTHER": "another reason given by the auditor",
}


@dataclass(frozen=True, slots=True)
class StepRecord:
    step: ClawbackStep
    at: dt.datetime
    detail: str
    actor: str = "system"


@dataclass(frozen=True, slots=True)
class Clawback:
    reason_code: str
    reason: str
    evidence: str
    requested_by: str
    started_at: dt.datetime
    steps: tuple[StepRecord, ...] = ()
    training_aid: int = 0
    incentives: int = 0
    due_at: dt.datetime | None = None
    repaid: int = 0
    repayment_keys: tuple[str, ...] = ()
    status: ReceivableStatus | None = None
    """``None`` until the receivable is opened."""

    @property
    def amount_due(self) -> int:
        return self.training_aid + self.incentives

    @property
    def outstanding(self) -> int:
        return max(self.amount_due - self.repaid, 0)

    def done(self, step: ClawbackStep) -> bool:
        return any(s.step is step for s in self.steps)

    def next_step(self) -> ClawbackStep | None:
        return next((s for s in SAGA if not self.done(s)), None)


def reason_text(code: str) -> str | None:
    return REASON_CODES.get(code)
