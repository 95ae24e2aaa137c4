"""Port of the job board: vacancies from job portals and participants' marks on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from domain.jobs.trends import CategoryDemand, Month
from domain.jobs.vacancies import MarkedVacancy, Vacancy, VacancyMark


@dataclass(frozen=True, slots=True)
class CandidateQuery:
    """Which open vacancies ranking needs to see for one case, so the store need not return them all.

    The store returns the open vacancies (``expires_on >= today``) whose category is in ``interests`` or whose
    province is ``province_code`` (at most the newest ``pool`` of each), plus ``newest`` of the others in the
    order ranking would put them: categories outside ``avoided`` first, then by posting date clamped to
    ``[recent_since, today]`` (newest first; earlier dates all score alike), then by ID. Under the formula in
    ``domain.jobs`` none of the rest can outrank those, so the top ``newest`` are exact while each pool holds at
    most ``pool`` vacancies. Vacancies the case marked ``NOT_INTERESTED`` may be left out.
    """

    case_id: str
    today: dt.date
    province_code: str
    interests: frozenset[str]
    """Normalized categories (``domain.vacancies.normalized_category``)."""
    avoided: frozenset[str]
    recent_since: dt.date
    newest: int
    pool: int = 1000


class JobBoard(Protocol):
    async def upsert_vacancy(self, vacancy: Vacancy) -> Vacancy:
        """Insert or update by ``vacancy.id`` (the portal and its vacancy ID); the stored vacancy."""
        ...

    async def vacancy(self, vacancy_id: str) -> Vacancy | None: ...

    async def candidates(self, query: CandidateQuery) -> list[Vacancy]: ...

    async def marks(self, case_id: str) -> list[MarkedVacancy]:
        """The case's marks with each vacancy's category."""
        ...

    async def mark(self, mark: VacancyMark) -> VacancyMark:
        """Store the latest action per case and vacancy. Repeating the stored action changes nothing (its time
        stays); an older mark than the stored one is ignored. Returns the stored mark."""
        ...

    async def demand(self, province_code: str, month: Month) -> list[CategoryDemand]:
        """Per stored category of the province: applications in the month and vacancies open in it."""
        ...
