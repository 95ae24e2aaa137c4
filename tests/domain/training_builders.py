"""Courses and trainings in every state, for the training-rule tests."""

import dataclasses
import datetime as dt

from domain.training.trainings import Course, Redemption, Training, TrainingMode, redeem_refusal

PROVIDER = "LPK01"
PLATFORM = "DP01"
S1 = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
SESSIONS = (S1, S1 + dt.timedelta(days=1), S1 + dt.timedelta(days=2))
BOUGHT = S1 - dt.timedelta(days=3)
US = dt.timedelta(microseconds=1)


def course(**kw) -> Course:
    base = Course(
        course_code="C-001",
        title="Digital Marketing",
        provider_code=PROVIDER,
        platform_code=PLATFORM,
        price=750_000,
        mode=TrainingMode.WEBINAR,
        category="marketing",
        sessions=SESSIONS,
    )
    return dataclasses.replace(base, **kw)


SELF_PACED = course(mode=TrainingMode.SELF_PACED, sessions=())


def training(c: Course | None = None, **kw) -> Training:
    c = c or course()
    base = Training(
        purchase_key=f"{PLATFORM}:idem-1",
        invoice_code="INV-1",
        voucher_code="VCH-1",
        redeem_code="RDM-1",
        course=c,
        price=c.price,
        purchased_at=BOUGHT,
    )
    return dataclasses.replace(base, **kw)


def attended(*sequences: int, at: dt.datetime = S1) -> tuple[Redemption, ...]:
    return tuple(Redemption(s, at, PROVIDER) for s in sequences)


def redeem(t: Training, sequence: int = 1, now: dt.datetime = S1, provider: str = PROVIDER, mode=None):
    return redeem_refusal(t, provider_code=provider, sequence=sequence, now=now, declared_mode=mode)


def code(refusal):
    return None if refusal is None else refusal[0]
