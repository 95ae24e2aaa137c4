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
    failures: int = 0
    """Wrong codes tried against it; at ``OTP_MAX_FAILURES`` the challenge is void."""

    @property
    def void(self) -> bool:
        return self.failures >= OTP_MAX_FAILURES


OTP_TTL = dt.timedelta(minutes=5)
OTP_MAX_FAILURES = 3
"""Wrong codes a challenge takes before it is void and a new one must be requested: with six digits and at most
``OTP_REQUESTS_PER_HOUR`` challenges an hour, guessing succeeds with odds of 15 in a million an hour at best."""
OTP_REQUESTS_PER_HOUR = 5
"""New purchase OTPs a card may be sent per rolling hour (a platform retrying one request is not a new one)."""


def otp_digest(salt: str, otp: str) -> str:
    return hashlib.sha256(f"{salt}:{otp}".encode()).hexdigest()


def otp_matches(challenge: OtpChallenge, otp: str, *, platform_code: str, course: Course, price: int) -> bool:
    return (
        challenge_for(challenge, platform_code=platform_code, course=course, price=price)
        and not challenge.void
        and hmac.compare_digest(challenge.digest, otp_digest(challenge.salt, otp))
    )


def challenge_for(challenge: OtpChallenge, *, platform_code: str, course: Course, price: int) -> bool:
    """Whether the challenge was sent for this platform's purchase of this course at this price."""
    return challenge.platform_code == platform_code and challenge.course_code == course.course_code and (
        challenge.price == price
    )


def otp_refusal(live: list[OtpChallenge]) -> Refusal:
    """Why an OTP was not accepted, given the live challenges for the same purchase (after counting this try)."""
    if not live:
        return ErrorCode.OTP_INVALID, "The OTP is wrong or expired; request a new one."
    if all(c.void for c in live):
        return (
            ErrorCode.OTP_ATTEMPTS_EXCEEDED,
            f"{OTP_MAX_FAILURES} wrong codes: this OTP is void; request a new one.",
        )
    left = max(OTP_MAX_FAILURES - c.failures for c in live)
    return ErrorCode.OTP_INVALID, f"The OTP is wrong; {left} attempt(s) left."


def otp_request_refusal(requested: list[dt.datetime], now: dt.datetime) -> Refusal | None:
    """Refuse a new purchase OTP when the card was sent too many in the last hour."""
    if sum(1 for at in requested if now - at < dt.timedelta(hours=1)) >= OTP_REQUESTS_PER_HOUR:
        return ErrorCode.OTP_RATE_LIMITED, f"At most {OTP_REQUESTS_PER_HOUR} OTPs an hour; try again later."
    return None


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
