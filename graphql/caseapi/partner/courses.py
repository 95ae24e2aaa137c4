"""A course as the calling platform may sell it."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.context import Info
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.trainings import Course, Partner


async def platform_course(
    info: Info, course_code: str, platform: Partner
) -> Course | e.CourseNotFound | e.TemporarilyUnavailable:
    try:
        course = await info.context.ports.market.course(course_code)
    except StoreUnavailable:
        return e.unavailable("The catalogue")
    if course is None or not course.active or course.platform_code != platform.client_code:
        return e.CourseNotFound(code=ErrorCode.COURSE_NOT_FOUND, message="Your platform offers no such course.")
    return course
