"""Enrollment: the card, its first-purchase deadline, purchase confirmation by OTP, and what may be bought
(Permenko 11/2020 art. 17-20: 30 days in 2020-22, 15 days from 2023). Pure; the workflow calls these with
``workflow.now()``."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ErrorCode
from domain.training.trainings import Course, Refusal, Training, bought, unfinished


class CardStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


@dataclass(frozen=True, slots=True)
class Enrollment:
    card_number: str
    enrolled_at: dt.datetime
    credited: int
    """The scheme's balance credited at enrollment (integer rupiah)."""
    purchase_deadline: dt.datetime
    reminder_at: dt.datetime
    status: CardStatus = CardStatus.ACTIVE
    reminder_sent: bool = False
    revoked_at: dt.datetime | None = None
    revoke_reason: str = ""


@dataclass(frozen=True, slots=True)
class OtpChallenge:
    """A purchase confirmation sent to the participant's phone; only a salted digest is kept."""

    challenge_id: str
    platform_code: str
    course_code: str
    price: int
    salt: str
    digest: str
    expires_at: dt.datetime


OTP_TTL = dt.timedelta(minutes=5)


def otp_digest(salt: str, otp: str) -> str:
    return hashlib.sha256(f"{salt}:{otp}".encode()).hexdigest()


def otp_matches(challenge: OtpChallenge, otp: str, *, platform_code: str, course: Course, price: int) -> bool:
    return (
        challenge.platform_code == platform_code
        and challenge.course_code == course.course_code
        and challenge.price == price
        and hmac.compare_digest(challenge.digest, otp_digest(challenge.salt, otp))
    )


def purchase_refusal(
    *,
    enrollment: Enrollment | None,
    trainings: list[Training],
    balance: int,
    course: Course,
    price: int,
    now: dt.datetime,
) -> Refusal | None:
    """Why this card may not buy this course now; ``None`` when it may (checked again under the case's lock)."""
    if enrollment is None or enrollment.status is not CardStatus.ACTIVE:
        return ErrorCode.CARD_INACTIVE, "This Kartu Prakerja is not active."
    if not bought(trainings) and now > enrollment.purchase_deadline:
        return ErrorCode.PURCHASE_DEADLINE_PASSED, "The deadline for the first training purchase has passed."
    if not course.active:
        return ErrorCode.COURSE_NOT_FOUND, "This training is no longer offered."
    if price != course.price:
        return ErrorCode.PRICE_MISMATCH, f"The training costs Rp{course.price:,}; the price sent was Rp{price:,}."
    if (open_training := unfinished(trainings)) is not None:
        return (
            ErrorCode.TRAINING_UNFINISHED,
            f"A training must be finished before the next can be bought ({open_training.course.title}).",
        )
    if price > balance:
        return ErrorCode.INSUFFICIENT_BALANCE, f"The balance (Rp{balance:,}) is less than the price (Rp{price:,})."
    return None
