"""``upsertVacancy`` (partner): a job portal publishes or updates one of its vacancies (keyed by its own ID)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.job_board import job_board
from caseapi.shared.job_types import Vacancy, vacancy_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.jobs import vacancies as vc
from domain.training.trainings import Partner, PartnerType


@strawberry.input(description="A vacancy as the job portal publishes it; (your client code, vacancyId) is the key.")
class VacancyInput:
    vacancy_id: str = strawberry.field(description="Your own vacancy ID; sending it again updates the vacancy.")
    title: str
    category: str = strawberry.field(description="Matched case-insensitively with training categories.")
    province_code: str = strawberry.field(description="Two-digit Kemendagri province code.")
    employer: str
    posted_on: dt.date
    expires_on: dt.date = strawberry.field(description="The last day to apply; after postedOn.")
    url: str = strawberry.field(description="Where to apply; https only.")
    regency_code: str | None = strawberry.field(default=None, description="PP.RR, within the province.")
    salary_min: int | None = strawberry.field(default=None, description="Rupiah per month.")
    salary_max: int | None = strawberry.field(default=None, description="Rupiah per month; at least salaryMin.")


UpsertVacancyResult = Annotated[
    Vacancy | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("UpsertVacancyResult"),
]


def _vacancy(portal: str, data: VacancyInput, now: dt.datetime) -> vc.Vacancy:
    external_id = data.vacancy_id.strip()
    regency = (data.regency_code or "").strip() or None
    return vc.Vacancy(
        id=vc.vacancy_id(portal, external_id),
        portal=portal,
        external_id=external_id,
        title=vc.tidy(data.title),
        category=vc.tidy(data.category),
        province_code=data.province_code.strip(),
        regency_code=regency,
        employer=vc.tidy(data.employer),
        salary_min=data.salary_min,
        salary_max=data.salary_max,
        posted_on=data.posted_on,
        expires_on=data.expires_on,
        url=data.url.strip(),
        updated_at=now,
    )


async def upsert_vacancy(info: Info, input: VacancyInput) -> UpsertVacancyResult:
    partner = await calling_partner(info, PartnerType.JOB_PORTAL)
    if not isinstance(partner, Partner):
        return partner
    vacancy = _vacancy(partner.client_code, input, dt.datetime.now(dt.UTC))
    problems = vc.vacancy_problems(vacancy)
    if problems:
        # Each message names its field (``salaryMin must not exceed salaryMax.``).
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=" ".join(p.message for p in problems))
    try:
        return vacancy_view(await job_board(info).upsert_vacancy(vacancy))
    except StoreUnavailable:
        return e.unavailable("The job board")
