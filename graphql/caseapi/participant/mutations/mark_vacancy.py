"""``markVacancy``: the participant says they applied to a vacancy or are not interested (the latest wins)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.participant.own_case import own_case
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.job_board import job_board
from caseapi.shared.job_types import VacancyAction, VacancyMark, mark_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.jobs import vacancies as vc

MarkVacancyResult = Annotated[
    VacancyMark | e.InvalidArgument | e.NoCaseYet | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("MarkVacancyResult"),
]


async def mark_vacancy(info: Info, vacancy_id: strawberry.ID, action: VacancyAction) -> MarkVacancyResult:
    found = await own_case(info)
    if not isinstance(found, tuple):
        return found
    _, record = found
    board = job_board(info)
    try:
        if await board.vacancy(str(vacancy_id)) is None:
            return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=f"There is no vacancy {vacancy_id!s}.")
        mark = vc.VacancyMark(
            case_id=record.case_id,
            vacancy_id=str(vacancy_id),
            action=vc.VacancyAction(action),
            at=dt.datetime.now(dt.UTC),
        )
        return mark_view(await board.mark(mark))
    except StoreUnavailable:
        return e.unavailable("The job board")
