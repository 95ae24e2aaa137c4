"""``myCase``: the signed-in participant's own case, from the read model."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import own_case
from caseapi.shared.context import Info
from caseapi.shared.errors import Forbidden, NoCaseYet, NotAuthenticated, TemporarilyUnavailable
from caseapi.shared.types import Case, case_view

MyCaseResult = Annotated[
    Case | NoCaseYet | NotAuthenticated | Forbidden | TemporarilyUnavailable, strawberry.union("MyCaseResult")
]


async def my_case(info: Info) -> MyCaseResult:
    found = await own_case(info)
    return case_view(found[1]) if isinstance(found, tuple) else found
