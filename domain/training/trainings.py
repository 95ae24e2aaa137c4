"""Training: the catalogue, a purchased training's life, and the rules partners' reports are checked against
(Permenko 11/2020; official redeem flow). Pure: the workflow's update validators and handlers call these with
``workflow.now()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ErrorCode
from domain.texts.render import render
from domain.texts.text import Text, text
from domain.training.tasks import SkillsTask, pending, task_problems


class PartnerType(StrEnum):
    DIGITAL_PLATFORM = "DIGITAL_PLATFORM"
    TRAINING_PROVIDER = "TRAINING_PROVIDER"
    """A Lembaga Pelatihan (LPK)."""
    PAYMENT_PARTNER = "PAYMENT_PARTNER"
    JOB_PORTAL = "JOB_PORTAL"


class TrainingMode(StrEnum):
    WEBINAR = "WEBINAR"
    SELF_PACED = "SELF_PACED"
    OFFLINE = "OFFLINE"


SCHEDULED_MODES = frozenset({TrainingMode.WEBINAR, TrainingMode.OFFLINE})
MAX_SESSIONS = 10
POST_TEST = 999
"""The redeem contract's sequence for the post-test; 1–10 are attendance sessions."""
REDEEM_WINDOW = dt.timedelta(hours=1)
"""A scheduled session's code works from 1 h before to 1 h after the session starts."""


@dataclass(frozen=True, slots=True)
class Partner:
    client_code: str
    name: str
    type: PartnerType
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Course:
    """A catalogue entry; a purchase keeps a snapshot, so later catalogue edits never change a bought training."""

    course_code: str
    title: str
    provider_code: str
    platform_code: str
    price: int
    """Integer rupiah."""
    mode: TrainingMode
    category: str
    sessions: tuple[dt.datetime, ...] = ()
    """Start of each session (sequence 1..n) for webinar and offline trainings; empty for self-paced ones."""
    active: bool = True
    skills_tasks: tuple[int, ...] = ()
    """The skills tasks the course sets (TPM 1–998, UK 999); they gate the certificate under the 2023+ scheme."""


def course_problems(course: Course) -> list[str]:
    problems = []
    if course.price <= 0:
        problems.append("price must be a positive number of rupiah")
    if course.mode in SCHEDULED_MODES and not course.sessions:
        problems.append("webinar and offline trainings need at least one session")
    if len(course.sessions) > MAX_SESSIONS:
        problems.append(f"at most {MAX_SESSIONS} sessions")
    if course.mode is TrainingMode.SELF_PACED and course.sessions:
        problems.append("self-paced trainings have no sessions")
    if any(s.tzinfo is None for s in course.sessions):
        problems.append("session times need a time zone")
    if not course.course_code.strip() or not course.title.strip() or not course.category.strip():
        problems.append("course code, title and category are required")
    return problems + task_problems(course.skills_tasks)


class TrainingStatus(StrEnum):
    PURCHASED = "PURCHASED"
    IN_TRAINING = "IN_TRAINING"
    """At least one session (or the self-paced access) redeemed."""
    COMPLETION_REPORTED = "COMPLETION_REPORTED"
    """The provider reported completion; the platform confirms next."""
    VERIFYING = "VERIFYING"
    """The platform confirmed; the programme verifies before the certificate is issued."""
    CERTIFIED = "CERTIFIED"
    NOT_CERTIFIED = "NOT_CERTIFIED"
    CANCELLED = "CANCELLED"


FINISHED = frozenset({TrainingStatus.CERTIFIED, TrainingStatus.NOT_CERTIFIED, TrainingStatus.CANCELLED})


class Cancellation(StrEnum):
    VOUCHER = "VOUCHER"
    """The programme cancelled the code (fraud, a suspended training)."""
    TRANSACTION = "TRANSACTION"
    """The platform cancelled the purchase before the training started."""


@dataclass(frozen=True, slots=True)
class Redemption:
    sequence: int
    at: dt.datetime
    by: str
    """The provider's client code."""
    request_key: str = ""
    """The provider's idempotency key (GraphQL) or the signed request (REST); a retry with it gets the same answer."""


@dataclass(frozen=True, slots=True)
class Training:
    """One purchased training, from voucher to certificate."""

    purchase_key: str
    """``<platform>:<the platform's idempotency key>``; a retried purchase with it gets the same answer."""
    invoice_code: str
    voucher_code: str
    redeem_code: str
    course: Course
    price: int
    purchased_at: dt.datetime
    status: TrainingStatus = TrainingStatus.PURCHASED
    redemptions: tuple[Redemption, ...] = ()
    completion_reported_at: dt.datetime | None = None
    confirmed_at: dt.datetime | None = None
    verification_due: dt.datetime | None = None
    certificate_serial: str | None = None
    certified_at: dt.datetime | None = None
    cancelled: Cancellation | None = None
    status_reason: str = ""
    """Why the training is where it is (cancellation reason, verification verdict)."""
    pre_test_score: int | None = None
    post_test_score: int | None = None
    """0–100, reported by the provider; shown to the participant; does not gate incentives."""
    rating: int | None = None
    """1–5 stars from the participant after the certificate (a prerequisite for incentives)."""
    review: str = ""
    rated_at: dt.datetime | None = None
    tasks: tuple[SkillsTask, ...] = ()
    """The skills tasks opened when completion was reported (2023+ scheme, generation 4); all must pass."""

    def attended(self) -> set[int]:
        return {r.sequence for r in self.redemptions if r.sequence != POST_TEST}

    def redemption(self, sequence: int) -> Redemption | None:
        return next((r for r in self.redemptions if r.sequence == sequence), None)


Refusal = tuple[ErrorCode, str]


def bought(trainings: list[Training] | tuple[Training, ...]) -> bool:
    """Whether a purchase stands (a cancelled one does not end the first-purchase deadline)."""
    return any(t.cancelled is None for t in trainings)


def unfinished(trainings: list[Training] | tuple[Training, ...]) -> Training | None:
    return next((t for t in trainings if t.status not in FINISHED), None)


def redeem_refusal(
    t: Training, *, provider_code: str, sequence: int, now: dt.datetime, declared_mode: TrainingMode | None
) -> Refusal | None:
    """Why a provider may not redeem this code for this sequence now; ``None`` when it may.

    Reasons in the order a provider's helpdesk would check them (not found, training-type mismatch, another LPK's
    code, cancelled, used).
    """
    if t.course.provider_code != provider_code:
        return ErrorCode.CODE_OF_OTHER_PROVIDER, "This redeem code belongs to another training provider."
    if declared_mode is not None and declared_mode is not t.course.mode:
        return ErrorCode.TRAINING_TYPE_MISMATCH, f"This code is for a {t.course.mode.value.lower()} training."
    if t.cancelled is Cancellation.VOUCHER:
        return ErrorCode.CODE_CANCELLED, "This redeem code was cancelled by the programme."
    if t.cancelled is Cancellation.TRANSACTION:
        return ErrorCode.TRANSACTION_CANCELLED, "The purchase behind this code was cancelled."
    sessions = len(t.course.sessions) if t.course.mode in SCHEDULED_MODES else MAX_SESSIONS
    if sequence != POST_TEST and not 1 <= sequence <= sessions:
        return ErrorCode.INVALID_SEQUENCE, f"Sequence must be 1–{sessions} (a session) or {POST_TEST} (post-test)."
    if t.redemption(sequence) is not None or t.status in FINISHED:
        return ErrorCode.CODE_ALREADY_USED, "This redeem code was already used for this session."
    if sequence == POST_TEST and not t.attended():
        return ErrorCode.INVALID_SEQUENCE, "The post-test comes after at least one attended session."
    if t.course.mode in SCHEDULED_MODES and sequence != POST_TEST:
        start = t.course.sessions[sequence - 1]
        if not start - REDEEM_WINDOW <= now <= start + REDEEM_WINDOW:
            return (
                ErrorCode.OUTSIDE_REDEEM_WINDOW,
                "Redeem codes work from 1 hour before to 1 hour after the session starts.",
            )
    return None


def completion_report_refusal(t: Training, *, provider_code: str) -> Refusal | None:
    if t.course.provider_code != provider_code:
        return ErrorCode.CODE_OF_OTHER_PROVIDER, "This training belongs to another training provider."
    if t.status is TrainingStatus.COMPLETION_REPORTED:
        return None  # a repeated report
    if t.status is not TrainingStatus.IN_TRAINING:
        return ErrorCode.INVALID_TRAINING_STATE, f"Completion cannot be reported for a {t.status.value} training."
    return None


def confirmation_refusal(t: Training, *, platform_code: str) -> Refusal | None:
    if t.course.platform_code != platform_code or not t.purchase_key.startswith(f"{platform_code}:"):
        return ErrorCode.NOT_YOUR_PURCHASE, "This training was not bought on your platform."
    if t.status is TrainingStatus.VERIFYING:
        return None  # a repeated confirmation
    if t.status is not TrainingStatus.COMPLETION_REPORTED:
        return ErrorCode.INVALID_TRAINING_STATE, "The provider has not reported completion of this training."
    if waiting := pending(t.tasks):
        return ErrorCode.SKILLS_TASKS_PENDING, f"Skills task(s) {', '.join(map(str, waiting))} have not passed yet."
    return None


def cancel_purchase_refusal(t: Training, *, platform_code: str) -> Refusal | None:
    if not t.purchase_key.startswith(f"{platform_code}:"):
        return ErrorCode.NOT_YOUR_PURCHASE, "This training was not bought on your platform."
    if t.cancelled is not None:
        return None  # a repeated cancellation
    if t.status is not TrainingStatus.PURCHASED:
        return ErrorCode.INVALID_TRAINING_STATE, "A training that has started cannot be cancelled."
    return None


def completion_verdict(t: Training) -> tuple[bool, str]:
    """The programme's verification of a confirmed completion (100% session attendance for webinar and offline
    trainings, then a certificate), with its reason in English (``completion_text`` is the catalogue text)."""
    certified, why = completion_text(t)
    return certified, render(why, "en")


def completion_text(t: Training) -> tuple[bool, Text]:
    """``completion_verdict`` as a catalogue text (the API renders it in the reader's language)."""
    attended = t.attended()
    if waiting := pending(t.tasks):
        return False, text("training.NOT_CERTIFIED.TASKS", tasks=", ".join(map(str, waiting)))
    if t.course.mode in SCHEDULED_MODES:
        needed = set(range(1, len(t.course.sessions) + 1))
        missing = sorted(needed - attended)
        if missing:
            return False, text("training.NOT_CERTIFIED.MISSED", sessions=", ".join(map(str, missing)))
        return True, text("training.CERTIFIED.SESSIONS", count=len(needed))
    if not attended:
        return False, text("training.NOT_CERTIFIED.NEVER_STARTED")
    return True, text("training.CERTIFIED.SELF_PACED")


MAX_REVIEW = 1000


def score_refusal(t: Training, *, provider_code: str, kind: str, score: int) -> Refusal | None:
    """A provider reports a PRE or POST test score (0–100) once per training; the same report again is a retry."""
    if t.course.provider_code != provider_code:
        return ErrorCode.CODE_OF_OTHER_PROVIDER, "This training belongs to another training provider."
    if kind not in ("PRE", "POST") or not 0 <= score <= 100:
        return ErrorCode.INVALID_ARGUMENT, "The kind is PRE or POST and the score 0–100."
    if t.status is TrainingStatus.CANCELLED or (kind == "POST" and not t.attended()):
        return ErrorCode.INVALID_TRAINING_STATE, f"A {kind.lower()}-test score cannot be reported for this training."
    current = t.pre_test_score if kind == "PRE" else t.post_test_score
    if current is not None and current != score:
        return ErrorCode.INVALID_TRAINING_STATE, f"A {kind.lower()}-test score of {current} was already reported."
    return None


def rating_refusal(t: Training, *, stars: int, review: str) -> Refusal | None:
    if not 1 <= stars <= 5 or len(review) > MAX_REVIEW:
        return ErrorCode.INVALID_ARGUMENT, f"Give 1–5 stars and at most {MAX_REVIEW} characters of review."
    if t.status is not TrainingStatus.CERTIFIED:
        return ErrorCode.INVALID_TRAINING_STATE, "Trainings are rated after their certificate is issued."
    if t.rating is not None and (t.rating, t.review) != (stars, review):
        return ErrorCode.INVALID_TRAINING_STATE, "You already rated this training."
    return None
