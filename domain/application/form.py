"""The application form and its structural checks at apply time (registration steps at prakerja.go.id)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from domain.nik import FieldProblem, check_kk, check_nik
from domain.regions import province_name, regency_name
from domain.scheme import Scheme


class Sex(StrEnum):
    M = "M"
    F = "F"


class Education(StrEnum):
    NONE = "NONE"
    SD = "SD"
    SMP = "SMP"
    SMA = "SMA"
    SMK = "SMK"
    D1_D3 = "D1_D3"
    D4_S1 = "D4_S1"
    S2_S3 = "S2_S3"


class EmploymentStatus(StrEnum):
    JOB_SEEKER = "JOB_SEEKER"
    LAID_OFF = "LAID_OFF"
    EMPLOYED_UPSKILLING = "EMPLOYED_UPSKILLING"
    FURLOUGHED = "FURLOUGHED"
    MICRO_BUSINESS = "MICRO_BUSINESS"


@dataclass(frozen=True, slots=True)
class Address:
    """An address with its Kemendagri codes."""

    street: str
    province_code: str
    regency_code: str
    """``PP.RR``."""


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What the participant submits; the NIK and KK stay inside the workflow payload and never in IDs."""

    email: str
    phone: str
    nik: str
    kk_number: str
    date_of_birth: dt.date
    full_name: str
    sex: Sex
    ktp_address: Address
    domicile: Address
    education: Education
    employment_status: EmploymentStatus
    training_interest: str
    consent: bool


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^(\+62|62|0)8[1-9][0-9]{6,11}$")


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Completed years on ``today``."""
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def check_application(form: ApplicationForm, *, scheme: Scheme, today: dt.date) -> list[FieldProblem]:
    """Every structural problem with the form; an empty list means it can be recorded."""
    problems: list[FieldProblem] = []
    if not _EMAIL.fullmatch(form.email.strip()):
        problems.append(FieldProblem("email", "EMAIL_FORMAT", "Enter a valid email address."))
    if not phone_ok(form.phone):
        problems.append(FieldProblem("phone", "PHONE_FORMAT", "Enter an Indonesian mobile number (08…)."))
    if not 3 <= len(form.full_name.strip()) <= 120:
        problems.append(FieldProblem("fullName", "NAME_LENGTH", "Full name must be 3 to 120 characters."))
    if form.date_of_birth > today:
        problems.append(FieldProblem("dateOfBirth", "DOB_FUTURE", "Date of birth cannot be in the future."))
    problems += check_nik(form.nik, date_of_birth=form.date_of_birth, sex=form.sex.value)
    problems += check_kk(form.kk_number)
    age = age_on(form.date_of_birth, today)
    if form.date_of_birth <= today and not scheme.age_ok(age):
        problems.append(
            FieldProblem("dateOfBirth", "AGE_OUT_OF_RANGE", f"Applicants must be {scheme.age_rule_text()}.")
        )
    problems += _check_address("ktpAddress", form.ktp_address)
    problems += _check_address("domicile", form.domicile)
    if not 2 <= len(form.training_interest.strip()) <= 200:
        problems.append(
            FieldProblem("trainingInterest", "INTEREST_LENGTH", "Describe your training interest (2–200 chars).")
        )
    if not form.consent:
        problems.append(FieldProblem("consent", "CONSENT_REQUIRED", "You must agree to the terms to apply."))
    return problems


def _check_address(field: str, address: Address) -> list[FieldProblem]:
    problems = []
    if not 3 <= len(address.street.strip()) <= 300:
        problems.append(FieldProblem(f"{field}.street", "STREET_LENGTH", "Street address must be 3–300 chars."))
    if province_name(address.province_code) is None:
        problems.append(FieldProblem(f"{field}.provinceCode", "PROVINCE_UNKNOWN", "Unknown province code."))
    elif not address.regency_code.startswith(address.province_code + ".") or (
        regency_name(address.regency_code) is None
    ):
        problems.append(
            FieldProblem(f"{field}.regencyCode", "REGENCY_UNKNOWN", "Unknown regency code for that province.")
        )
    return problems


def phone_ok(phone: str) -> bool:
    """An Indonesian mobile number (08…, 62 8…, +62 8…), spaces and dashes allowed."""
    return _PHONE.fullmatch(re.sub(r"[\s-]", "", phone)) is not None
