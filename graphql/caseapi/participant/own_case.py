"""The signed-in participant's own case record, or the typed reason there is none."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.messages import CaseRecord


async def own_case(
    info: Info,
) -> tuple[Principal, CaseRecord] | e.NotAuthenticated | e.Forbidden | e.NoCaseYet | e.TemporarilyUnavailable:
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        return principal
    try:
        record = await info.context.reader.by_account(principal.subject)
    except StoreUnavailable:
        return e.unavailable("The case database")
    if record is None:
        return e.NoCaseYet(code=ErrorCode.CASE_NOT_FOUND, message="You have not applied yet.")
    return principal, record
