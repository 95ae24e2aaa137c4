"""``upsertCourse`` (partner): a digital platform maintains its own catalogue entries."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.course_input import CourseInput, UpsertCourseResult, save_course
from domain.errors import StoreUnavailable
from domain.training.trainings import Partner, PartnerType


async def upsert_course(info: Info, input: CourseInput) -> UpsertCourseResult:
    partner = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return partner
    if input.platform_code != partner.client_code:
        return e.forbidden("A platform maintains only its own courses.")
    try:
        existing = await info.context.ports.market.course(input.course_code.strip())
    except StoreUnavailable:
        return e.unavailable("The catalogue")
    if existing is not None and existing.platform_code != partner.client_code:
        return e.forbidden("This course code belongs to another platform.")
    return await save_course(info, input, by=f"partner:{partner.client_code}", direct=False)
