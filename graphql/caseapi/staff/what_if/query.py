"""``whatIf(id)``: a what-if's status and, once done, both selections side by side per province in your scope."""

from __future__ import annotations

import re
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.staff.what_if.types import WhatIf, WhatIfNotFound, what_if_view
from domain.errors import ErrorCode, StoreUnavailable

_ID = re.compile(r"[0-9]{1,18}")  # a BIGINT; anything else names no what-if
WhatIfResult = Annotated[
    WhatIf | WhatIfNotFound | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("WhatIfResult"),
]


async def what_ifs(info: Info, wave_id: strawberry.ID) -> list[WhatIf]:
    """The wave's what-ifs, newest first (at most 50); nothing for a caller who may not see them."""
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    desk = info.context.ports.what_ifs
    if not isinstance(principal, Principal) or desk is None:
        return []
    return [what_if_view(v, principal) for v in await desk.of_wave(str(wave_id), limit=50)]


async def what_if(info: Info, id: strawberry.ID) -> WhatIfResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    desk = info.context.ports.what_ifs
    if desk is None:
        return e.unavailable("What-ifs")
    missing = WhatIfNotFound(code=ErrorCode.WHAT_IF_NOT_FOUND, message="No what-if with that ID.")
    if not _ID.fullmatch(str(id)):
        return missing
    try:
        view = await desk.get(int(str(id)))
    except StoreUnavailable:
        return e.unavailable("The wave database")
    return what_if_view(view, principal) if view is not None else missing
