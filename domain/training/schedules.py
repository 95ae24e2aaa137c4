"""Schedules (batches) of a course with a quota of seats, a course's entry requirements, and purchases as the
official payment API shows them; the port of their store (partner-api.md §4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from domain.application.form import Education, age_on
from domain.training.attendance_emails import AttendanceEmails
from domain.training.sandbox import SandboxCodes


@dataclass(frozen=True, slots=True)
class Schedule:
    schedule_code: str
    course_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    quota: int
    taken: int = 0
    sandbox: bool = False

    @property
    def remaining(self) -> int:
        return self.quota - self.taken


@dataclass(frozen=True, slots=True)
class Requirements:
    min_age: int | None = None
    max_age: int | None = None
    min_education: str | None = None


@dataclass(frozen=True, slots=True)
class PurchaseRow:
    """A purchase as the partner API shows it (vouchers + schedule_seats)."""

    purchase_key: str
    case_id: str
    voucher_code: str
    redeem_code: str
    transaction_code: str
    """Prakerja's transaction ID: the voucher's internal invoice code."""
    course_code: str
    platform_code: str
    price: int
    status: str
    """``ACTIVE`` | ``CANCELLED_VOUCHER`` | ``CANCELLED_TRANSACTION``."""
    created_at: dt.datetime
    schedule_code: str | None


class PartnerApiStore(SandboxCodes, AttendanceEmails, Protocol):
    """Schedules with a quota, seat claims, course requirements and purchases by the platform's invoice code."""

    async def schedule(self, schedule_code: str) -> Schedule | None: ...

    async def upsert_schedule(self, schedule: Schedule) -> None:
        """Create or change a schedule (``taken`` is kept; a quota below ``taken`` raises ``ValueError``)."""
        ...

    async def requirements(self, course_code: str) -> Requirements: ...

    async def set_requirements(self, course_code: str, requirements: Requirements) -> None: ...

    async def claim_seat(self, purchase_key: str, schedule_code: str, invoice_url: str, at: dt.datetime) -> str:
        """Book the purchase's claim on a schedule (idempotent); the schedule of the first claim of the key."""
        ...

    async def purchase(self, purchase_key: str) -> PurchaseRow | None: ...

    async def schedule_of_voucher(self, voucher_code: str) -> Schedule | None: ...


EDUCATION_ORDER = tuple(Education)
"""Lowest first: a requirement ``SMA`` is met by SMA and everything after it (SMK counts as SMA's level)."""


def _level(education: str) -> int:
    rank = EDUCATION_ORDER.index(Education(education))
    return rank - 1 if Education(education) is Education.SMK or rank > EDUCATION_ORDER.index(Education.SMK) else rank


def fit_problem(req: Requirements, *, date_of_birth: dt.date, education: str, today: dt.date) -> str | None:
    """``AGE`` or ``EDUCATION`` when the participant does not meet the course's requirements, else ``None``."""
    age = age_on(date_of_birth, today)
    if (req.min_age is not None and age < req.min_age) or (req.max_age is not None and age > req.max_age):
        return "AGE"
    if req.min_education is not None and _level(education) < _level(req.min_education):
        return "EDUCATION"
    return None
