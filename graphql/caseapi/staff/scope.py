"""A case as a staff member may see it: within their province scope, else it looks missing."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.messages import CaseRecord

ScopeError = e.CaseNotFound | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable


def not_found() -> e.CaseNotFound:
    return e.CaseNotFound(code=ErrorCode.CASE_NOT_FOUND, message="No case with that identifier in your scope.")


async def scoped_case(info: Info, case_id: str) -> tuple[Principal, CaseRecord] | ScopeError:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    try:
        record = await info.context.ports.reader.by_id(case_id)
    except StoreUnavailable:
        return e.unavailable("The case database")
    # Out-of-scope cases look exactly like missing ones: no existence oracle across provinces.
    if record is None or not principal.covers(record.application.domicile.province_code):
        return not_found()
    return principal, record
