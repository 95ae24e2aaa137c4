"""``myJobRecommendations``: open vacancies ranked for the participant after their first certificate."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.participant.own_case import own_case
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.job_board import job_board
from caseapi.shared.job_types import JobRecommendations, recommendation_view
from domain.clock import programme_date
from domain.errors import ErrorCode, StoreUnavailable
from domain.jobs import recommendations as jb
from domain.jobs.ports import CandidateQuery
from domain.jobs.vacancies import VacancyAction
from domain.texts import text

MAX_FIRST = 100

JobRecommendationsResult = Annotated[
    JobRecommendations | e.InvalidArgument | e.NoCaseYet | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("JobRecommendationsResult"),
]


async def my_job_recommendations(info: Info, first: int = 20) -> JobRecommendationsResult:
    if not 1 <= first <= MAX_FIRST:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=f"first must be 1–{MAX_FIRST}.")
    found = await own_case(info)
    if not isinstance(found, tuple):
        return found
    _, record = found
    waiting = jb.waiting_text(record)
    if waiting is not None:
        return JobRecommendations(items=[], why=waiting)
    today = programme_date(dt.datetime.now(dt.UTC))
    board = job_board(info)
    try:
        who = jb.seeker(record, await board.marks(record.case_id))
        query = CandidateQuery(
            case_id=record.case_id,
            today=today,
            province_code=who.province_code,
            interests=who.interests(),
            avoided=who.categories(VacancyAction.NOT_INTERESTED),
            recent_since=today - dt.timedelta(days=jb.RECENCY_DAYS),
            newest=first,
        )
        candidates = await board.candidates(query)
    except StoreUnavailable:
        return e.unavailable("The job board")
    ranked = jb.rank(candidates, who, today=today, limit=first)
    why = None if ranked else text("jobs.NO_VACANCIES")
    return JobRecommendations(items=[recommendation_view(r) for r in ranked], why=why)
