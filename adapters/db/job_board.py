"""The job board in PostgreSQL: the ``JobBoard`` port (vacancies from job portals, participants' marks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.job_tables import vacancies, vacancy_marks
from adapters.db.unavailable import unavailable_on_db_loss
from domain.jobs.ports import CandidateQuery
from domain.jobs.trends import CategoryDemand, Month
from domain.jobs.vacancies import MarkedVacancy, Vacancy, VacancyAction, VacancyMark

V = vacancies.c
M = vacancy_marks.c
_KEY = ("id", "portal", "external_id")


def _vacancy(row: Any) -> Vacancy:
    return Vacancy(
        id=row.id,
        portal=row.portal,
        external_id=row.external_id,
        title=row.title,
        category=row.category,
        province_code=row.province_code,
        regency_code=row.regency_code,
        employer=row.employer,
        salary_min=row.salary_min,
        salary_max=row.salary_max,
        posted_on=row.posted_on,
        expires_on=row.expires_on,
        url=row.url,
        updated_at=row.updated_at,
    )


def _mark(row: Any) -> VacancyMark:
    return VacancyMark(case_id=row.case_id, vacancy_id=row.vacancy_id, action=VacancyAction(row.action), at=row.at)


class PgJobBoard:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # Reads without BEGIN/ROLLBACK round trips: each statement reads its own snapshot, none needs another's.
        self._single = autocommit(engine)

    @unavailable_on_db_loss
    async def upsert_vacancy(self, vacancy: Vacancy) -> Vacancy:
        values = {c.name: getattr(vacancy, c.name) for c in vacancies.c}
        stmt = insert(vacancies).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[V.id], set_={k: stmt.excluded[k] for k in values if k not in _KEY}
        ).returning(vacancies)
        async with self._engine.begin() as conn:
            row = (await conn.execute(stmt)).one()
        return _vacancy(row)

    @unavailable_on_db_loss
    async def vacancy(self, vacancy_id: str) -> Vacancy | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(select(vacancies).where(V.id == vacancy_id))).first()
        return _vacancy(row) if row is not None else None

    @unavailable_on_db_loss
    async def candidates(self, query: CandidateQuery) -> list[Vacancy]:
        category = func.lower(V.category)
        interests = sorted(query.interests)
        not_dismissed = ~exists().where(
            M.case_id == query.case_id, M.vacancy_id == V.id, M.action == VacancyAction.NOT_INTERESTED.value
        )
        open_ = and_(V.expires_on >= query.today, not_dismissed)
        newest_first = (V.posted_on.desc(), V.id)
        pools = [select(vacancies).where(open_, V.province_code == query.province_code)]
        others = select(vacancies).where(open_, V.province_code != query.province_code)
        if interests:
            pools.append(select(vacancies).where(open_, category.in_(interests)))
            others = others.where(category.not_in(interests))
        avoided = case((category.in_(sorted(query.avoided)), 1), else_=0) if query.avoided else literal(0)
        recency = func.least(func.greatest(V.posted_on, query.recent_since), query.today)
        statements = [pool.order_by(*newest_first).limit(query.pool) for pool in pools]
        statements.append(others.order_by(avoided, recency.desc(), V.id).limit(query.newest))
        found: dict[str, Vacancy] = {}
        async with self._single.connect() as conn:
            for stmt in statements:
                for row in (await conn.execute(stmt)).all():
                    found.setdefault(row.id, _vacancy(row))
        return list(found.values())

    @unavailable_on_db_loss
    async def marks(self, case_id: str) -> list[MarkedVacancy]:
        stmt = (
            select(M.vacancy_id, V.category, M.action, M.at)
            .select_from(vacancy_marks.join(vacancies, V.id == M.vacancy_id))
            .where(M.case_id == case_id)
            .order_by(M.at, M.vacancy_id)
        )
        async with self._single.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [MarkedVacancy(r.vacancy_id, r.category, VacancyAction(r.action), r.at) for r in rows]

    @unavailable_on_db_loss
    async def mark(self, mark: VacancyMark) -> VacancyMark:
        stmt = insert(vacancy_marks).values(
            case_id=mark.case_id, vacancy_id=mark.vacancy_id, action=mark.action.value, at=mark.at
        )
        # The latest action wins; repeating the stored one keeps its time (a retry is not a new application).
        stmt = stmt.on_conflict_do_update(
            index_elements=[M.case_id, M.vacancy_id],
            set_={"action": stmt.excluded.action, "at": stmt.excluded.at},
            where=and_(M.action != stmt.excluded.action, M.at <= stmt.excluded.at),
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)
            row = (
                await conn.execute(
                    select(vacancy_marks).where(M.case_id == mark.case_id, M.vacancy_id == mark.vacancy_id)
                )
            ).one()
        return _mark(row)

    @unavailable_on_db_loss
    async def demand(self, province_code: str, month: Month) -> list[CategoryDemand]:
        start, end = month.window()
        opened = (
            select(V.category, func.count().label("n"))
            .where(
                V.province_code == province_code,
                V.posted_on <= month.last_day,
                V.expires_on >= month.first_day,
            )
            .group_by(V.category)
        )
        applied = (
            select(V.category, func.count().label("n"))
            .select_from(vacancy_marks.join(vacancies, V.id == M.vacancy_id))
            .where(
                V.province_code == province_code,
                M.action == VacancyAction.APPLIED.value,
                M.at >= start,
                M.at < end,
            )
            .group_by(V.category)
        )
        async with self._engine.connect() as conn:
            open_counts = {r.category: int(r.n) for r in (await conn.execute(opened)).all()}
            applications = {r.category: int(r.n) for r in (await conn.execute(applied)).all()}
        return [
            CategoryDemand(category=c, applications=applications.get(c, 0), vacancies=open_counts.get(c, 0))
            for c in sorted(open_counts.keys() | applications.keys())
        ]
