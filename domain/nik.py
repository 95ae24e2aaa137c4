"""Structural checks of NIK and KK numbers (Dukcapil's NIK layout, as python-stdnum's id.nik implements it).

A NIK is ``PPRRSSDDMMYYXXXX``: area codes, the birth date (women add 40 to the day) and a
serial. Structure cannot prove a NIK is registered; Dukcapil does that during validation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from lokal.nik import parse_nik

from domain.regions import province_name

_DIGITS16 = re.compile(r"[0-9]{16}")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One reason an input field is not acceptable."""

    field: str
    code: str
    message: str


def check_nik(nik: str, *, date_of_birth: dt.date, sex: str) -> list[FieldProblem]:
    """Problems with a NIK's structure and its agreement with the stated birth date and sex."""
    if not _DIGITS16.fullmatch(nik):
        return [FieldProblem("nik", "NIK_FORMAT", "NIK must be exactly 16 digits.")]
    info = parse_nik(nik, reference_date=date_of_birth)
    problems = [
        FieldProblem("nik", f"NIK_{issue.code.upper()}", _NIK_MESSAGES.get(issue.code, issue.message))
        for issue in info.errors
        if issue.code != "birth_date"
    ]
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    encoded_sex = "F" if day > 40 else "M"
    day = day - 40 if day > 40 else day
    if (day, month, yy) != (date_of_birth.day, date_of_birth.month, date_of_birth.year % 100):
        problems.append(
            FieldProblem(
                "dateOfBirth",
                "NIK_BIRTHDATE_MISMATCH",
                "The birth date encoded in the NIK does not match the date of birth given.",
            )
        )
    elif encoded_sex != sex:
        problems.append(
            FieldProblem("sex", "NIK_SEX_MISMATCH", "The sex encoded in the NIK does not match the sex given.")
        )
    return problems


_NIK_MESSAGES = {
    "province": "The NIK's province code is not a known Indonesian province.",
    "wilayah": "The NIK's regency and district codes must not be 00.",
    "serial": "The NIK's serial number must not be 0000.",
}


def check_kk(kk: str) -> list[FieldProblem]:
    """A KK (family card) number is 16 digits with a known area prefix."""
    if not _DIGITS16.fullmatch(kk):
        return [FieldProblem("kkNumber", "KK_FORMAT", "KK number must be exactly 16 digits.")]
    # Cards keep the code they were issued with, so pre-split regency codes stay valid:
    # only the province must be known and the regency non-zero.
    if province_name(kk[0:2]) is None or kk[2:4] == "00":
        return [FieldProblem("kkNumber", "KK_AREA", "The KK number does not start with a known area code.")]
    return []


def blind_index(value: str, key: bytes) -> str:
    """HMAC-SHA256 hex of an identifier: the only form in IDs, search attributes and lookups."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_nik(nik: str) -> str:
    """Last four digits only, for screens."""
    return "************" + nik[-4:]
