"""``upsertCourse`` (staff): maintain any catalogue entry (national staff)."""

from __future__ import annotations

from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.course_input import CourseInput, UpsertCourseResult, save_course
from caseapi.staff.national import national_staff


async def upsert_course(info: Info, input: CourseInput) -> UpsertCourseResult:
    principal = national_staff(info, "The catalogue is managed")
    if not isinstance(principal, Principal):
        return principal
    return await save_course(info, input)
