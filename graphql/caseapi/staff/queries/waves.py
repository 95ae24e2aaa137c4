"""``waves`` and ``wave(id)`` for staff: status, commitment and live per-province counts."""

from __future__ import annotations

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.wave_types import Wave, wave_view


async def waves(info: Info, status: str | None = None) -> list[Wave]:
    if not isinstance(require(info, Role.STAFF, Role.SUPERVISOR), Principal):
        return []
    return [wave_view(v) for v in await info.context.ports.waves.list(status=status)]


async def wave(info: Info, id: strawberry.ID) -> Wave | None:
    if not isinstance(require(info, Role.STAFF, Role.SUPERVISOR), Principal):
        return None
    view = await info.context.ports.waves.get(str(id))
    return wave_view(view) if view else None
