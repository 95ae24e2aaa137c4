"""GraphQL views of the payout account, the incentive schedule, clawbacks, receivables and discrepancies."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import strawberry

from caseapi.shared.context import Info
from caseapi.shared.language import say_code
from domain.clawback import saga as cb
from domain.messages import CaseRecord
from domain.payouts import ports as pp
from domain.payouts import tranches as po
from domain.payouts.progress import failure_code
from domain.payouts.schedule import prerequisites

PayoutProvider = strawberry.enum(
    po.Provider, name="PayoutProvider", description="Banks and e-wallets incentives are paid through."
)
IncentiveStatus = strawberry.enum(po.TrancheStatus, name="IncentiveStatus")
ReceivableStatus = strawberry.enum(pp.ReceivableStatus)
ClawbackStep = strawberry.enum(cb.ClawbackStep)
DiscrepancyKind = strawberry.enum(pp.DiscrepancyKind)


@strawberry.enum(description="The survey's employment question.")
class SurveyEmployment(StrEnum):
    EMPLOYED = "EMPLOYED"
    SELF_EMPLOYED = "SELF_EMPLOYED"
    SEEKING = "SEEKING"
    NOT_SEEKING = "NOT_SEEKING"


@strawberry.type(description="The bank or e-wallet account incentives are paid to (same NIK, KYC-verified).")
class PayoutAccount:
    provider: PayoutProvider
    account_number_masked: str
    holder_name: str = strawberry.field(description="As the partner shows it (masked).")
    linked_at: dt.datetime


def account_view(a: po.PayoutAccount) -> PayoutAccount:
    return PayoutAccount(
        provider=a.provider, account_number_masked=a.masked, holder_name=a.holder_name, linked_at=a.linked_at
    )


@strawberry.type(description="Where one incentive payment stands, as the live status shows it.")
class IncentiveProgress:
    number: int
    kind: str = strawberry.field(description="JOB_SEARCH or SURVEY.")
    amount: int = strawberry.field(description="Rupiah.")
    status: IncentiveStatus
    due_at: dt.datetime = strawberry.field(description="Payment date, or when the survey opens.")
    survey_due_at: dt.datetime | None = strawberry.field(description="Answer the survey before this time.")
    paid_at: dt.datetime | None


@strawberry.type(description="One incentive payment of the schedule.")
class Incentive(IncentiveProgress):
    answered_at: dt.datetime | None
    transfer_attempts: int
    partner_reference: str | None
    failure_code: str | None = strawberry.field(description="The partner's code for the last failed transfer.")
    stored_reason: strawberry.Private[str | None]

    @strawberry.field(description="Why the last transfer failed (gagal dicairkan), in the request's language.")
    def failure_reason(self, info: Info) -> str | None:
        if self.stored_reason is None:
            return None
        return say_code(info, failure_code(self.failure_code), self.stored_reason)


def incentive_view(t: po.Tranche) -> Incentive:
    return Incentive(
        number=t.number,
        kind=t.kind,
        amount=t.amount,
        status=t.status,
        due_at=t.due_at,
        survey_due_at=t.survey_due_at,
        answered_at=t.answered_at,
        paid_at=t.paid_at,
        transfer_attempts=t.attempt,
        failure_code=t.failure_code if t.status is not po.TrancheStatus.PAID else None,
        stored_reason=t.failure_reason if t.status is not po.TrancheStatus.PAID else None,
        partner_reference=t.partner_ref,
    )


@strawberry.type(description="What incentives need; the schedule appears as soon as all three hold.")
class IncentivePrerequisites:
    certificate: bool
    rating: bool
    account: bool
    met: bool
    missing_codes: list[str] = strawberry.field(description="CERTIFICATE, RATING, ACCOUNT: what is still missing.")

    @strawberry.field(description="What is still missing, in the request's language.")
    def missing(self, info: Info) -> list[str]:
        return [say_code(info, f"prereq.{code}", code) for code in self.missing_codes]


def prerequisites_view(r: CaseRecord) -> IncentivePrerequisites:
    p = prerequisites(r.trainings, r.payout_account)
    return IncentivePrerequisites(
        certificate=p.certificate, rating=p.rating, account=p.account, met=p.met, missing_codes=p.missing_codes()
    )


@strawberry.type
class ClawbackStepEntry:
    step: ClawbackStep
    at: dt.datetime
    detail: str
    actor: str


@strawberry.type(description="Found ineligible after receiving aid: what must be repaid, by when, and every step.")
class Clawback:
    reason_code: str
    reason: str
    evidence: str
    started_at: dt.datetime
    training_aid: int
    incentives: int
    amount_due: int
    repaid: int
    outstanding: int
    due_at: dt.datetime | None
    status: ReceivableStatus | None
    steps: list[ClawbackStepEntry]


def clawback_view(c: cb.Clawback) -> Clawback:
    return Clawback(
        reason_code=c.reason_code,
        reason=c.reason,
        evidence=c.evidence,
        started_at=c.started_at,
        training_aid=c.training_aid,
        incentives=c.incentives,
        amount_due=c.amount_due,
        repaid=c.repaid,
        outstanding=c.outstanding,
        due_at=c.due_at,
        status=c.status,
        steps=[ClawbackStepEntry(step=s.step, at=s.at, detail=s.detail, actor=s.actor) for s in c.steps],
    )


@strawberry.type(description="A difference between the payment partner's statement and the payments table.")
class Discrepancy:
    id: int
    day: dt.date
    key: str
    kind: DiscrepancyKind
    case_id: str | None
    detail: str
    found_at: dt.datetime | None
    status: str


def discrepancy_view(d: pp.Discrepancy) -> Discrepancy:
    return Discrepancy(
        id=d.id or 0,
        day=d.day,
        key=d.key,
        kind=d.kind,
        case_id=d.case_id,
        detail=d.detail,
        found_at=d.found_at,
        status=d.status,
    )


@strawberry.type(description="Money a participant found ineligible owes the state.")
class Receivable:
    case_id: str
    training_aid: int
    incentives: int
    amount_due: int
    repaid: int
    outstanding: int
    reason_code: str
    opened_at: dt.datetime
    due_at: dt.datetime
    status: ReceivableStatus


def receivable_view(r: pp.Receivable) -> Receivable:
    return Receivable(
        case_id=r.case_id,
        training_aid=r.training_aid,
        incentives=r.incentives,
        amount_due=r.amount_due,
        repaid=r.repaid,
        outstanding=r.outstanding,
        reason_code=r.reason_code,
        opened_at=r.opened_at,
        due_at=r.due_at,
        status=r.status,
    )


@strawberry.type(description="One run of the reconciliation against the partner's statement.")
class ReconciliationRun:
    day: dt.date
    statement_lines: int
    payments: int
    discrepancies: int
    new_discrepancies: int
