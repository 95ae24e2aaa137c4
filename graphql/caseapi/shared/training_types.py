"""GraphQL views of the card, the ledger, trainings, courses and notifications."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.language import say, say_code
from caseapi.shared.task_types import SkillsTask, skills_task_view
from domain import notifications as nt
from domain.enrollment import enrollment as en
from domain.enrollment import ledger as lg
from domain.training import trainings as tr
from domain.training.messages import PurchaseResult, RedeemResult, TrainingView

TrainingMode = strawberry.enum(tr.TrainingMode)
TrainingStatus = strawberry.enum(tr.TrainingStatus)
CardStatus = strawberry.enum(en.CardStatus)
EntryKind = strawberry.enum(lg.EntryKind)
PartnerType = strawberry.enum(tr.PartnerType)


@strawberry.type(description="Your Kartu Prakerja: a 16-digit number, no physical card; the balance is not cash.")
class Card:
    number: str
    status: CardStatus
    enrolled_at: dt.datetime
    credited: int = strawberry.field(description="Training balance credited at enrollment (rupiah).")
    first_purchase_deadline: dt.datetime
    revoked_at: dt.datetime | None
    revoke_reason: str


def card_view(e: en.Enrollment) -> Card:
    return Card(
        number=e.card_number,
        status=e.status,
        enrolled_at=e.enrolled_at,
        credited=e.credited,
        first_purchase_deadline=e.purchase_deadline,
        revoked_at=e.revoked_at,
        revoke_reason=e.revoke_reason,
    )


@strawberry.type(description="A catalogue entry.")
class Course:
    course_code: str
    title: str
    provider_code: str
    platform_code: str
    price: int
    mode: TrainingMode
    category: str
    sessions: list[dt.datetime]
    active: bool
    skills_tasks: list[int] = strawberry.field(
        default_factory=list, description="The skills tasks the course sets: TPM 1–998, UK 999 (2023+ scheme)."
    )


def course_view(c: tr.Course) -> Course:
    return Course(
        course_code=c.course_code,
        title=c.title,
        provider_code=c.provider_code,
        platform_code=c.platform_code,
        price=c.price,
        mode=c.mode,
        category=c.category,
        sessions=list(c.sessions),
        active=c.active,
        skills_tasks=list(c.skills_tasks),
    )


@strawberry.type(description="One attended session (sequence 1–10) or the post-test (999).")
class Attendance:
    sequence: int
    at: dt.datetime
    provider_code: str


@strawberry.type(description="A purchased training, from voucher to certificate.")
class Training:
    voucher_code: str
    redeem_code: str
    invoice_code: str
    course: Course
    price: int
    purchased_at: dt.datetime
    status: TrainingStatus
    attendance: list[Attendance]
    completion_reported_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    verification_due: dt.datetime | None
    certificate_serial: str | None
    certified_at: dt.datetime | None
    pre_test_score: int | None
    post_test_score: int | None
    rating: int | None
    review: str
    domain: strawberry.Private[tr.Training]

    @strawberry.field(description="Why the training is in its status, in the request's language.")
    def status_reason(self, info: Info) -> str:
        t = self.domain
        if t.status in (tr.TrainingStatus.CERTIFIED, tr.TrainingStatus.NOT_CERTIFIED) and t.status_reason:
            return say(info, tr.completion_text(t)[1], t.status_reason)
        if t.status is tr.TrainingStatus.CANCELLED and t.cancelled is not None:
            return say_code(info, f"training.CANCELLED.{t.cancelled.value}", t.status_reason)
        return t.status_reason

    @strawberry.field(description="The skills tasks (TPM/UK) opened after the sessions (2023+ scheme).")
    def skills_tasks(self) -> list[SkillsTask]:
        return [skills_task_view(k) for k in self.domain.tasks]


def training_view(t: tr.Training) -> Training:
    return Training(
        voucher_code=t.voucher_code,
        redeem_code=t.redeem_code,
        invoice_code=t.invoice_code,
        course=course_view(t.course),
        price=t.price,
        purchased_at=t.purchased_at,
        status=t.status,
        attendance=[Attendance(sequence=r.sequence, at=r.at, provider_code=r.by) for r in t.redemptions],
        completion_reported_at=t.completion_reported_at,
        confirmed_at=t.confirmed_at,
        verification_due=t.verification_due,
        certificate_serial=t.certificate_serial,
        certified_at=t.certified_at,
        pre_test_score=t.pre_test_score,
        post_test_score=t.post_test_score,
        rating=t.rating,
        review=t.review,
        domain=t,
    )


@strawberry.type(description="One ledger entry (integer rupiah; the balance is the sum).")
class LedgerEntry:
    kind: EntryKind
    amount: int
    at: dt.datetime
    reference: str


def ledger_view(e: lg.LedgerEntry) -> LedgerEntry:
    return LedgerEntry(kind=e.kind, amount=e.amount, at=e.at, reference=e.reference)


@strawberry.type(description="A message sent to you by SMS or e-mail.")
class Notification:
    channel: str
    kind: str
    created_at: dt.datetime
    status: str
    sent: strawberry.Private[nt.Notification]

    @strawberry.field(
        description="The message in the request's language (as sent, in Bahasa Indonesia, for messages from before "
        "the catalogue); an OTP's code is never shown."
    )
    def body(self, info: Info) -> str:
        if self.kind == "PURCHASE_OTP":
            return say_code(info, "notify.PURCHASE_OTP.HIDDEN", "Kode OTP dikirim ke ponsel Anda.")
        return say(info, self.sent.text, self.sent.body)


def notification_view(n: nt.Notification) -> Notification:
    return Notification(channel=n.channel.value, kind=n.kind, sent=n, created_at=n.created_at, status=n.status)


@strawberry.type(description="A completed purchase: the voucher and the redeem code for the provider.")
class PurchaseReceipt:
    idempotency_key: str
    invoice_code: str
    voucher_code: str
    redeem_code: str
    course_code: str
    price: int
    balance_after: int
    purchased_at: dt.datetime


def receipt_view(r: PurchaseResult, key: str) -> PurchaseReceipt:
    return PurchaseReceipt(
        idempotency_key=key,
        invoice_code=r.invoice_code,
        voucher_code=r.voucher_code,
        redeem_code=r.redeem_code,
        course_code=r.course_code,
        price=r.price,
        balance_after=r.balance_after,
        purchased_at=r.purchased_at,
    )


@strawberry.type(description="A redeem code's state for one session (the official redeem API's data object).")
class RedeemReceipt:
    redeem_code: str
    voucher_code: str
    invoice_code: str
    course_code: str
    schedule_code: str
    status: str
    attendance_status: str
    redeem_at: dt.datetime | None
    dp_platform: str
    sequence: int


def redeem_view(r: RedeemResult) -> RedeemReceipt:
    return RedeemReceipt(**{k: getattr(r, k) for k in r.__slots__})  # type: ignore[attr-defined]


@strawberry.enum(description="Which test a provider reports.")
class TestKind(StrEnum):
    PRE = "PRE"
    POST = "POST"


@strawberry.type(description="A training after a partner's report.")
class TrainingReport:
    voucher_code: str
    redeem_code: str
    invoice_code: str
    course_code: str
    status: str
    status_reason: str
    certificate_serial: str | None


def report_view(v: TrainingView) -> TrainingReport:
    return TrainingReport(
        voucher_code=v.voucher_code,
        redeem_code=v.redeem_code,
        invoice_code=v.invoice_code,
        course_code=v.course_code,
        status=v.status,
        status_reason=v.status_reason,
        certificate_serial=v.certificate_serial,
    )


TrainingReportResult = Annotated[
    TrainingReport
    | e.RedeemRefused
    | e.TrainingActionRefused
    | e.SkillsTaskRefused
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("TrainingReportResult"),
]
