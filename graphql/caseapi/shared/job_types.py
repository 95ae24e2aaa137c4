"""GraphQL views of vacancies, recommendations, marks and trending categories (participant, partner, staff)."""

from __future__ import annotations

import datetime as dt

import strawberry

from caseapi.shared.context import Info
from caseapi.shared.language import say
from domain.jobs import recommendations as jb
from domain.jobs import vacancies as vc
from domain.jobs.trends import CategoryDemand
from domain.regions import province_name, regency_name
from domain.texts import Text

VacancyAction = strawberry.enum(vc.VacancyAction, description="What you did with a vacancy; the latest counts.")


@strawberry.type(description="A job vacancy published by a job-portal partner.")
class Vacancy:
    id: strawberry.ID = strawberry.field(description="<portal client code>:<the portal's vacancy ID>.")
    portal: str = strawberry.field(description="The job portal's client code.")
    vacancy_id: str = strawberry.field(description="The portal's own vacancy ID.")
    title: str
    category: str
    province_code: str
    regency_code: str | None
    employer: str
    salary_min: int | None = strawberry.field(description="Rupiah per month.")
    salary_max: int | None = strawberry.field(description="Rupiah per month.")
    posted_on: dt.date
    expires_on: dt.date = strawberry.field(description="The last day to apply.")
    url: str = strawberry.field(description="Where to apply (https).")
    updated_at: dt.datetime

    @strawberry.field(description="Province name for the code.")
    def province_name(self) -> str | None:
        return province_name(self.province_code)

    @strawberry.field(description="Regency/city name for the code.")
    def regency_name(self) -> str | None:
        return regency_name(self.regency_code) if self.regency_code else None


def vacancy_view(v: vc.Vacancy) -> Vacancy:
    return Vacancy(
        id=strawberry.ID(v.id),
        portal=v.portal,
        vacancy_id=v.external_id,
        title=v.title,
        category=v.category,
        province_code=v.province_code,
        regency_code=v.regency_code,
        employer=v.employer,
        salary_min=v.salary_min,
        salary_max=v.salary_max,
        posted_on=v.posted_on,
        expires_on=v.expires_on,
        url=v.url,
        updated_at=v.updated_at,
    )


@strawberry.type(description="A recommended vacancy with its score and why it is recommended.")
class JobRecommendation:
    vacancy: Vacancy
    score: int = strawberry.field(description="Higher is better; the formula is in domain/jobs.py.")
    my_action: VacancyAction | None = strawberry.field(description="APPLIED when you said you applied.")
    domain: strawberry.Private[jb.Recommendation]

    @strawberry.field(description="Each reason that contributed to the score, in the request's language.")
    def explanation(self, info: Info) -> list[str]:
        if not self.domain.reasons:
            return list(self.domain.explanation)
        return [say(info, t, t.code) for t in self.domain.reasons]


def recommendation_view(r: jb.Recommendation) -> JobRecommendation:
    return JobRecommendation(vacancy=vacancy_view(r.vacancy), score=r.score, my_action=r.my_action, domain=r)


@strawberry.type(description="Your job recommendations, best first; empty with a reason before your first certificate.")
class JobRecommendations:
    items: list[JobRecommendation]
    why: strawberry.Private[Text | None]

    @strawberry.field(description="Why there are no recommendations yet, in the request's language.")
    def reason(self, info: Info) -> str | None:
        return say(info, self.why, self.why.code) if self.why is not None else None


@strawberry.type(description="Your latest action on a vacancy.")
class VacancyMark:
    vacancy_id: strawberry.ID
    action: VacancyAction
    at: dt.datetime = strawberry.field(description="When this action was first recorded.")


def mark_view(m: vc.VacancyMark) -> VacancyMark:
    return VacancyMark(vacancy_id=strawberry.ID(m.vacancy_id), action=m.action, at=m.at)


@strawberry.type(description="A vacancy category in demand in a province and month.")
class TrendingCategory:
    category: str
    applications: int = strawberry.field(description="Participants' APPLIED marks in the month.")
    vacancies: int = strawberry.field(description="The province's vacancies of the category open in the month.")


def trending_view(c: CategoryDemand) -> TrendingCategory:
    return TrendingCategory(category=c.category, applications=c.applications, vacancies=c.vacancies)


@strawberry.type(description="The top vacancy categories of a province and month by applications.")
class TrendingJobs:
    province_code: str
    month: str = strawberry.field(description="YYYY-MM (WIB).")
    items: list[TrendingCategory]

    @strawberry.field(description="Province name for the code.")
    def province_name(self) -> str | None:
        return province_name(self.province_code)
