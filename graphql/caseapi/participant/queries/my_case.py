"""``myCase``: the signed-in participant's own case, from the read model."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import Forbidden, NoCaseYet, NotAuthenticated, TemporarilyUnavailable, unavailable
from caseapi.shared.guards import require
from caseapi.shared.types import Case, case_view
from domain.errors import ErrorCode, StoreUnavailable

MyCaseResult = Annotated[
    Case | NoCaseYet | NotAuthenticated | Forbidden | TemporarilyUnavailable, strawberry.union("MyCaseResult")
]


async def my_case(info: Info) -> MyCaseResult:
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        return principal
    try:
        record = await info.context.reader.by_account(principal.subject)
    except StoreUnavailable:
        return unavailable("The case database")
    if record is None:
        return NoCaseYet(code=ErrorCode.CASE_NOT_FOUND, message="You have not applied yet.")
    return case_view(record)
