"""``upsertSchedule`` and ``setCourseRequirements`` (national staff): the schedules (batches) a digital platform
sells through the official payment API, with their quota of seats, and a course's entry requirements that
send-otp checks (partner-api.md §4.1–4.2)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.staff.national import national_staff
from domain.application.form import Education
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.schedules import Requirements, Schedule


@strawberry.input(description="A schedule of a course; the quota cannot go below the seats already taken.")
class ScheduleInput:
    schedule_code: str
    course_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    quota: int


@strawberry.type(name="CourseSchedule", description="A schedule with its quota and the seats taken.")
class ScheduleView:
    schedule_code: str
    course_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    quota: int
    taken: int


@strawberry.type(description="A course's entry requirements (none = anyone).")
class CourseRequirements:
    course_code: str
    min_age: int | None
    max_age: int | None
    min_education: Education | None


UpsertScheduleResult = Annotated[
    ScheduleView | e.CourseNotFound | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("UpsertScheduleResult"),
]
SetRequirementsResult = Annotated[
    CourseRequirements
    | e.CourseNotFound
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("SetCourseRequirementsResult"),
]


def _invalid(message: str) -> e.InvalidArgument:
    return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=message)


async def upsert_schedule(info: Info, input: ScheduleInput) -> UpsertScheduleResult:
    principal = national_staff(info, "Schedules are managed")
    if not isinstance(principal, Principal):
        return principal
    store = info.context.ports.partner_api
    code = input.schedule_code.strip()
    if store is None:
        return e.unavailable("The schedule store")
    if input.starts_at.tzinfo is None or input.ends_at.tzinfo is None:  # before comparing them (found by schemathesis)
        return _invalid("Times need a time zone.")
    if not 1 <= len(code) <= 100 or input.quota < 0 or input.ends_at < input.starts_at:
        return _invalid("A schedule code of 1–100 characters, a quota ≥ 0 and an end after the start are required.")
    try:
        if await info.context.ports.market.course(input.course_code) is None:
            return e.CourseNotFound(code=ErrorCode.COURSE_NOT_FOUND, message="No course with that code.")
        schedule = Schedule(code, input.course_code, input.starts_at, input.ends_at, input.quota)
        await store.upsert_schedule(schedule)
        saved = await store.schedule(code)
    except ValueError as exc:
        return _invalid(str(exc))
    except StoreUnavailable:
        return e.unavailable("The schedule store")
    assert saved is not None
    return ScheduleView(
        schedule_code=saved.schedule_code,
        course_code=saved.course_code,
        starts_at=saved.starts_at,
        ends_at=saved.ends_at,
        quota=saved.quota,
        taken=saved.taken,
    )


async def set_course_requirements(
    info: Info,
    course_code: str,
    min_age: int | None = None,
    max_age: int | None = None,
    min_education: Education | None = None,
) -> SetRequirementsResult:
    principal = national_staff(info, "Course requirements are managed")
    if not isinstance(principal, Principal):
        return principal
    store = info.context.ports.partner_api
    if store is None:
        return e.unavailable("The schedule store")
    if (min_age is not None and min_age < 0) or (max_age is not None and max_age < (min_age or 0)):
        return _invalid("Ages must be ≥ 0 and the maximum at least the minimum.")
    try:
        if await info.context.ports.market.course(course_code) is None:
            return e.CourseNotFound(code=ErrorCode.COURSE_NOT_FOUND, message="No course with that code.")
        education = min_education.value if min_education is not None else None
        await store.set_requirements(course_code, Requirements(min_age, max_age, education))
    except StoreUnavailable:
        return e.unavailable("The schedule store")
    return CourseRequirements(course_code=course_code, min_age=min_age, max_age=max_age, min_education=min_education)
