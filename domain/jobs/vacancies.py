"""Job vacancies from job-portal partners and participants' feedback on them (job-portal partners of the programme).
Pure."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from domain.nik import FieldProblem
from domain.regions import province_name, regency_name

_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,100}$")
MAX_URL = 2000


class VacancyAction(StrEnum):
    """What a participant did with a recommended vacancy; the latest action per vacancy wins."""

    APPLIED = "APPLIED"
    NOT_INTERESTED = "NOT_INTERESTED"


def vacancy_id(portal: str, external_id: str) -> str:
    """Our key: ``<portal client code>:<the portal's vacancy ID>`` (an upsert by the same pair updates)."""
    return f"{portal}:{external_id}"


@dataclass(frozen=True, slots=True)
class Vacancy:
    id: str
    """``<portal>:<external_id>``."""
    portal: str
    """The job portal's client code."""
    external_id: str
    """The portal's own vacancy ID."""
    title: str
    category: str
    province_code: str
    regency_code: str | None
    """``PP.RR`` when the portal gives it."""
    employer: str
    salary_min: int | None
    """Integer rupiah per month."""
    salary_max: int | None
    posted_on: dt.date
    expires_on: dt.date
    """The last day it can be applied for."""
    url: str
    updated_at: dt.datetime

    def open_on(self, today: dt.date) -> bool:
        return self.expires_on >= today


@dataclass(frozen=True, slots=True)
class VacancyMark:
    """A participant's feedback on a vacancy (one per case and vacancy; the latest action wins)."""

    case_id: str
    vacancy_id: str
    action: VacancyAction
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class MarkedVacancy:
    """A mark of the participant with the vacancy's category (which ranking learns from)."""

    vacancy_id: str
    category: str
    action: VacancyAction
    at: dt.datetime


def tidy(text: str) -> str:
    """Without surrounding or repeated white space (how titles, categories and employers are stored)."""
    return " ".join(text.split())


def normalized_category(category: str) -> str:
    """Categories compare case-insensitively (as SQL ``lower(category)`` of a tidy category)."""
    return tidy(category).lower()


def _length(field: str, value: str, low: int, high: int) -> list[FieldProblem]:
    if low <= len(value.strip()) <= high:
        return []
    return [FieldProblem(field, "LENGTH", f"{field} must be {low}–{high} characters.")]


def _place_problems(v: Vacancy) -> list[FieldProblem]:
    if province_name(v.province_code) is None:
        return [FieldProblem("provinceCode", "PROVINCE_UNKNOWN", f"provinceCode {v.province_code!r} is unknown.")]
    if v.regency_code is not None and (
        not v.regency_code.startswith(v.province_code + ".") or regency_name(v.regency_code) is None
    ):
        return [
            FieldProblem(
                "regencyCode",
                "REGENCY_UNKNOWN",
                f"regencyCode {v.regency_code!r} is not a regency of province {v.province_code}.",
            )
        ]
    return []


def _salary_problems(v: Vacancy) -> list[FieldProblem]:
    problems = [
        FieldProblem(name, "SALARY_RANGE", f"{name} must be a positive number of rupiah.")
        for name, amount in (("salaryMin", v.salary_min), ("salaryMax", v.salary_max))
        if amount is not None and amount <= 0
    ]
    if not problems and v.salary_min is not None and v.salary_max is not None and v.salary_min > v.salary_max:
        problems.append(FieldProblem("salaryMin", "SALARY_RANGE", "salaryMin must not exceed salaryMax."))
    return problems


def _url_ok(url: str) -> bool:
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme == "https" and bool(parts.hostname) and parts.username is None
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False


def _url_problems(url: str) -> list[FieldProblem]:
    if _url_ok(url):
        return []
    return [FieldProblem("url", "URL_INVALID", f"url must be an https:// address of at most {MAX_URL} characters.")]


def vacancy_problems(v: Vacancy) -> list[FieldProblem]:
    """Why a portal's vacancy cannot be stored; empty when it can. Field names are the API's."""
    problems: list[FieldProblem] = []
    if not _EXTERNAL_ID.fullmatch(v.external_id):
        problems.append(
            FieldProblem("vacancyId", "ID_INVALID", "vacancyId must be 1–100 letters, digits or . _ : / -.")
        )
    problems += _length("title", v.title, 2, 200)
    problems += _length("category", v.category, 2, 100)
    problems += _length("employer", v.employer, 2, 200)
    problems += _place_problems(v)
    problems += _salary_problems(v)
    if v.expires_on <= v.posted_on:
        problems.append(FieldProblem("expiresOn", "DATES", "expiresOn must be after postedOn."))
    problems += _url_problems(v.url)
    return problems
