"""``trendingJobs``: the top vacancy categories of a province and month by participants' applications.

Served to participants and to staff (within their province scope); the rule is in ``domain.job_trends``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.job_board import job_board
from caseapi.shared.job_types import TrendingJobs, trending_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.jobs import trends as jt
from domain.regions import province_name

TrendingJobsResult = Annotated[
    TrendingJobs | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("TrendingJobsResult"),
]


def _invalid(message: str) -> e.InvalidArgument:
    return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=message)


async def trending_jobs(info: Info, province_code: str, month: str | None = None) -> TrendingJobsResult:
    principal = require(info, Role.PARTICIPANT, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    province = province_code.strip()
    if province_name(province) is None:
        return _invalid(f"provinceCode {province_code!r} is unknown.")
    if principal.is_staff and not principal.covers(province):
        return e.forbidden("That province is outside your scope.")
    period = jt.month_of(dt.datetime.now(dt.UTC)) if month is None else jt.parse_month(month)
    if period is None:
        return _invalid("month must be YYYY-MM.")
    try:
        rows = await job_board(info).demand(province, period)
    except StoreUnavailable:
        return e.unavailable("The job board")
    return TrendingJobs(
        province_code=province, month=period.label, items=[trending_view(c) for c in jt.top_categories(rows)]
    )
