"""Participant input types and their conversion to domain forms."""

from __future__ import annotations

import datetime as dt

import strawberry

from caseapi.shared.errors import FieldError
from caseapi.shared.types import Education, EmploymentStatus, Sex
from domain.application import form as app
from domain.phones import normalised


@strawberry.input(description="An address by its Kemendagri codes.")
class AddressInput:
    street: str
    province_code: str = strawberry.field(description="Two digits, e.g. 32 for Jawa Barat.")
    regency_code: str = strawberry.field(description="PP.RR, e.g. 32.01 for Kabupaten Bogor.")


@strawberry.input(description="The registration form.")
class ApplyInput:
    request_id: str = strawberry.field(description="Client-generated idempotency key (8–64 chars).")
    email: str
    phone: str
    nik: str = strawberry.field(description="16-digit NIK from the KTP.")
    kk_number: str = strawberry.field(description="16-digit family-card (KK) number.")
    date_of_birth: str = strawberry.field(description="YYYY-MM-DD.")
    full_name: str
    sex: Sex
    ktp_address: AddressInput
    domicile: AddressInput
    education: Education
    employment_status: EmploymentStatus
    training_interest: str
    consent: bool


def _valid_request_id(value: str) -> bool:
    return 8 <= len(value) <= 64 and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value)


def to_form(inp: ApplyInput) -> app.ApplicationForm | list[FieldError]:
    errors: list[FieldError] = []
    if not _valid_request_id(inp.request_id):
        errors.append(FieldError(field="requestId", code="REQUEST_ID_FORMAT", message="8–64 chars: A-Z a-z 0-9 - _"))
    try:
        dob = dt.date.fromisoformat(inp.date_of_birth)
        if len(inp.date_of_birth) != 10:
            raise ValueError(inp.date_of_birth)
    except ValueError:
        errors.append(FieldError(field="dateOfBirth", code="DOB_FORMAT", message="Use a real date as YYYY-MM-DD."))
        dob = None
    if errors or dob is None:
        return errors
    return app.ApplicationForm(
        email=inp.email.strip(),
        phone=normalised(inp.phone.strip()),  # stored and compared in E.164 (+628…)
        nik=inp.nik.strip(),
        kk_number=inp.kk_number.strip(),
        date_of_birth=dob,
        full_name=" ".join(inp.full_name.split()),
        sex=app.Sex(inp.sex.value),
        ktp_address=_address(inp.ktp_address),
        domicile=_address(inp.domicile),
        education=app.Education(inp.education.value),
        employment_status=app.EmploymentStatus(inp.employment_status.value),
        training_interest=inp.training_interest.strip(),
        consent=inp.consent,
    )


def _address(a: AddressInput) -> app.Address:
    return app.Address(
        street=a.street.strip(), province_code=a.province_code.strip(), regency_code=a.regency_code.strip()
    )
