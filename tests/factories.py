"""Test data: structurally valid NIKs and application inputs (no registry behind them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import uuid
from typing import Any

from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex

_serial = itertools.count(random.SystemRandom().randrange(1, 5000))


def make_nik(*, dob: dt.date, sex: str = "M", area: str = "320101") -> str:
    day = dob.day + (40 if sex == "F" else 0)
    serial = next(_serial) % 9999 + 1
    return f"{area}{day:02d}{dob.month:02d}{dob.year % 100:02d}{serial:04d}"


def make_kk(area: str = "320101") -> str:
    return f"{area}{random.randrange(10**9, 10**10)}"


def apply_input(**overrides: Any) -> dict[str, Any]:
    dob = overrides.pop("dob", dt.date(1995, 8, 15))
    sex = overrides.pop("sex", "M")
    province = overrides.pop("province", "32")
    regency = overrides.pop("regency", "32.01")
    area = overrides.pop("area", province + regency[3:5] + "01")
    data = {
        "requestId": f"req-{uuid.uuid4().hex[:16]}",
        "email": "peserta@example.id",
        "phone": "081234567890",
        "nik": make_nik(dob=dob, sex=sex, area=area),
        "kkNumber": make_kk(area),
        "dateOfBirth": dob.isoformat(),
        "fullName": "Siti Rahmawati",
        "sex": sex,
        "ktpAddress": {"street": "Jl. Merdeka 10", "provinceCode": province, "regencyCode": regency},
        "domicile": {"street": "Jl. Merdeka 10", "provinceCode": province, "regencyCode": regency},
        "education": "SMA",
        "employmentStatus": "JOB_SEEKER",
        "trainingInterest": "digital marketing",
        "consent": True,
    }
    data.update(overrides)
    return data


BOGOR = Address("Jl. Raya 1", "32", "32.01")


def application_form(**overrides: Any) -> ApplicationForm:
    """A valid application form (Budi Santoso, job seeker in Bogor); ``overrides`` replace fields."""
    base = ApplicationForm(
        email="budi@example.id",
        phone="081234567890",
        nik="3201011508950001",
        kk_number="3201010101200001",
        date_of_birth=dt.date(1995, 8, 15),
        full_name="Budi Santoso",
        sex=Sex.M,
        ktp_address=BOGOR,
        domicile=BOGOR,
        education=Education.SMA,
        employment_status=EmploymentStatus.JOB_SEEKER,
        training_interest="digital marketing",
        consent=True,
    )
    return dataclasses.replace(base, **overrides)
