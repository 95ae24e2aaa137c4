"""``upsertCourse`` (staff): maintain any catalogue entry (national staff). The PMO lists it directly: a
LISTED_DIRECTLY version on the course's timeline, sold at once without the three review layers (the programme's own
curation, and how the dev stack, tests and benchmarks stock a catalogue)."""

from __future__ import annotations

from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.course_input import CourseInput, UpsertCourseResult, save_course
from caseapi.staff.national import national_staff


async def upsert_course(info: Info, input: CourseInput) -> UpsertCourseResult:
    principal = national_staff(info, "The catalogue is managed")
    if not isinstance(principal, Principal):
        return principal
    return await save_course(info, input, by=principal.actor, direct=True)
