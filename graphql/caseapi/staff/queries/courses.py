"""``courses`` (staff): the active catalogue, optionally for one platform or category."""

from __future__ import annotations

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.training_types import Course, course_view


async def courses(info: Info, platform_code: str | None = None, category: str | None = None) -> list[Course]:
    if not isinstance(require(info, Role.STAFF, Role.SUPERVISOR), Principal):
        return []
    found = await info.context.ports.market.courses(platform_code=platform_code, category=category)
    return [course_view(c) for c in found]
