"""GraphQL views of a case, shared by the participant and staff schemas."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import strawberry

from caseapi.shared.ability_test_types import AbilityTestSummary, attempt_view
from caseapi.shared.complaint_types import Complaint, complaint_view
from caseapi.shared.context import Info
from caseapi.shared.language import Lang, lang_of, say
from caseapi.shared.payout_types import (
    Clawback,
    Incentive,
    IncentivePrerequisites,
    PayoutAccount,
    account_view,
    clawback_view,
    incentive_view,
    prerequisites_view,
)
from caseapi.shared.timeline import TimelineEvent, timeline
from caseapi.shared.training_types import (
    Card,
    LedgerEntry,
    Notification,
    Training,
    card_view,
    ledger_view,
    notification_view,
    training_view,
)
from caseapi.shared.wave_types import WaveHistoryEntry, history_entry
from domain import case as c
from domain.application import form as app
from domain.messages import CaseRecord
from domain.payouts.schedule import paid_total
from domain.phones import normalised
from domain.progress import attempts_left, next_action, test_status
from domain.regions import province_name, regency_name
from domain.scheme import get_scheme
from domain.texts.recorded import decision_text, rule_text

Stage = strawberry.enum(c.Stage, description="Where the case is in the programme.")
Outcome = strawberry.enum(c.Outcome)
Sex = strawberry.enum(app.Sex)
Education = strawberry.enum(app.Education)
EmploymentStatus = strawberry.enum(app.EmploymentStatus)


@strawberry.type(description="An address with its Kemendagri area codes and names.")
class Address:
    street: str
    province_code: str
    regency_code: str

    @strawberry.field(description="Province name for the code.")
    def province_name(self) -> str | None:
        return province_name(self.province_code)

    @strawberry.field(description="Regency/city name for the code.")
    def regency_name(self) -> str | None:
        return regency_name(self.regency_code)


@strawberry.type(description="The application as recorded; NIK and KK are masked.")
class Application:
    email: str
    phone: str
    nik_masked: str
    kk_number_masked: str
    date_of_birth: dt.date
    full_name: str
    sex: Sex
    ktp_address: Address
    domicile: Address
    education: Education
    employment_status: EmploymentStatus
    training_interest: str


@strawberry.type(description="One rule's verdict and who said so.")
class RuleResult:
    rule_id: str
    outcome: Outcome
    source: str
    checked_at: dt.datetime
    domain: strawberry.Private[c.RuleResult]

    @strawberry.field(description="Why, in the request's language (Accept-Language; Bahasa Indonesia by default).")
    def reason(self, info: Info) -> str:
        return say(info, rule_text(self.domain), self.domain.reason)


@strawberry.type(description="A decision about the case with every reason; visible to the participant.")
class Decision:
    kind: str
    outcome: Outcome
    decided_at: dt.datetime
    ruleset_version: str
    rules: list[RuleResult]
    domain: strawberry.Private[c.Decision]

    @strawberry.field(description="The decision in one line, in the request's language.")
    def summary(self, info: Info) -> str:
        return say(info, decision_text(self.domain), self.domain.summary)


@strawberry.type(description="A participant case.")
class Case:
    id: strawberry.ID
    scheme_id: str
    stage: Stage
    application: Application
    decisions: list[Decision]
    applied_at: dt.datetime
    updated_at: dt.datetime
    ability_test: AbilityTestSummary
    waves: list[WaveHistoryEntry] = strawberry.field(description="Every wave joined and its outcome.")
    card: Card | None = strawberry.field(description="The Kartu Prakerja, once enrolled.")
    balance: int = strawberry.field(description="Training balance in rupiah (derived from the ledger).")
    trainings: list[Training] = strawberry.field(description="Every purchased training, newest last.")
    payout_account: PayoutAccount | None = strawberry.field(description="Where incentives are paid.")
    incentive_prerequisites: IncentivePrerequisites
    incentives: list[Incentive] = strawberry.field(description="The incentive schedule once prerequisites are met.")
    incentives_paid: int = strawberry.field(description="Rupiah paid so far.")
    clawback: Clawback | None = strawberry.field(description="Set when found ineligible after receiving aid.")
    workflow_id: strawberry.Private[str]
    record: strawberry.Private[CaseRecord]

    @strawberry.field(description="What the participant should do next, in the request's language.")
    def next_action(self, info: Info) -> str:
        return record_next_action(self.record, lang_of(info))

    @strawberry.field(description="Staff only: the case's history as domain events (null for other callers).")
    async def timeline(self, info: Info) -> list[TimelineEvent] | None:
        p = info.context.principal
        if p is None or not p.is_staff:
            return None
        return await timeline(info, self.record)

    @strawberry.field(description="The card's ledger: credit, purchases, refunds, forfeits (oldest first).")
    async def ledger(self, info: Info) -> list[LedgerEntry]:
        return [ledger_view(x) for x in await info.context.ports.market.ledger(str(self.id))]

    @strawberry.field(description="SMS and e-mails sent about this case, newest first (OTP codes hidden).")
    async def notifications(self, info: Info, limit: int = 20) -> list[Notification]:
        rows = await info.context.ports.market.notifications(str(self.id), limit=max(1, min(limit, 100)))
        return [notification_view(n) for n in rows]

    @strawberry.field(description="Complaints filed from this case, oldest first, with the staff's answers.")
    async def complaints(self, info: Info) -> list[Complaint]:
        desk = info.context.ports.complaints
        if desk is None:
            return []
        return [complaint_view(c) for c in await desk.for_case(str(self.id))]

    @strawberry.field(description="Staff only: the workflow in the Temporal Web UI.")
    def temporal_ui_url(self, info: Info) -> str | None:
        p = info.context.principal
        if p is None or not p.is_staff:
            return None
        cfg = info.context.config
        return f"{cfg.temporal_ui_url}/namespaces/{cfg.temporal_namespace}/workflows/{quote(self.workflow_id)}"


def _address(a: app.Address) -> Address:
    return Address(street=a.street, province_code=a.province_code, regency_code=a.regency_code)


def case_view(r: CaseRecord) -> Case:
    f = r.application
    return Case(
        id=strawberry.ID(r.case_id),
        scheme_id=r.scheme_id,
        stage=r.stage,
        application=Application(
            email=f.email,
            phone=normalised(f.phone),  # forms sealed before E.164 (and their workflows) still hold 08…
            nik_masked=f.nik,
            kk_number_masked=f.kk_number,
            date_of_birth=f.date_of_birth,
            full_name=f.full_name,
            sex=f.sex,
            ktp_address=_address(f.ktp_address),
            domicile=_address(f.domicile),
            education=f.education,
            employment_status=f.employment_status,
            training_interest=f.training_interest,
        ),
        decisions=[decision_view(d) for d in r.decisions],
        applied_at=r.applied_at,
        updated_at=r.updated_at,
        ability_test=_test_summary(r),
        waves=[history_entry(e) for e in r.waves],
        card=card_view(r.enrollment) if r.enrollment else None,
        balance=r.balance,
        trainings=[training_view(t) for t in r.trainings],
        payout_account=account_view(r.payout_account) if r.payout_account else None,
        incentive_prerequisites=prerequisites_view(r),
        incentives=[incentive_view(t) for t in r.incentives],
        incentives_paid=paid_total(r.incentives),
        clawback=clawback_view(r.clawback) if r.clawback else None,
        workflow_id=r.workflow_id,
        record=r,
    )


def decision_view(d: c.Decision) -> Decision:
    return Decision(
        kind=d.kind,
        outcome=d.outcome,
        decided_at=d.decided_at,
        ruleset_version=d.ruleset_version,
        rules=[RuleResult(rule_id=x.rule_id, outcome=x.outcome, source=x.source, checked_at=x.checked_at, domain=x)
               for x in d.rules],
        domain=d,
    )  # fmt: skip


def record_next_action(r: CaseRecord, lang: Lang) -> str:
    """The next action computed from the record in ``lang`` (the stored line is the Indonesian one)."""
    return next_action(
        r.stage,
        r.ability_test,
        get_scheme(r.scheme_id),
        enrollment=r.enrollment,
        trainings=r.trainings,
        balance=r.balance,
        account=r.payout_account,
        incentives=r.incentives,
        clawback=r.clawback,
        lang=lang,
    )


def _test_summary(r: CaseRecord) -> AbilityTestSummary:
    scheme = get_scheme(r.scheme_id)
    return AbilityTestSummary(
        status=test_status(r.ability_test),
        attempts_left=attempts_left(r.ability_test, scheme),
        pass_mark=scheme.ability_test_pass_mark,
        attempts=[attempt_view(a) for a in r.ability_test],
        question_count=scheme.ability_test_questions,
        duration_seconds=int(scheme.ability_test_duration.total_seconds()),
    )
