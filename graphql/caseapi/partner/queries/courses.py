"""``courses``: the active catalogue (a platform sees its own courses; providers see the ones they deliver)."""

from __future__ import annotations

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared.context import Info
from caseapi.shared.training_types import Course, course_view
from domain.training.trainings import Partner, PartnerType


async def courses(info: Info, category: str | None = None) -> list[Course]:
    partner = await calling_partner(info)
    if not isinstance(partner, Partner):
        return []
    platform = partner.client_code if partner.type is PartnerType.DIGITAL_PLATFORM else None
    found = await info.context.ports.market.courses(platform_code=platform, category=category)
    if partner.type is PartnerType.TRAINING_PROVIDER:
        found = [c for c in found if c.provider_code == partner.client_code]
    return [course_view(c) for c in found]
