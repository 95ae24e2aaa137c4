"""``case(id)`` and ``caseByNik(nik)``: one case, within the staff member's province scope."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import (
    CaseNotFound,
    Forbidden,
    NotAuthenticated,
    TemporarilyUnavailable,
    unavailable,
)
from caseapi.shared.guards import require
from caseapi.shared.types import Case, case_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.nik import blind_index

CaseLookupResult = Annotated[
    Case | CaseNotFound | NotAuthenticated | Forbidden | TemporarilyUnavailable,
    strawberry.union("CaseLookupResult"),
]


def _not_found() -> CaseNotFound:
    return CaseNotFound(code=ErrorCode.CASE_NOT_FOUND, message="No case with that identifier in your scope.")


async def _lookup(info: Info, case_id: str) -> CaseLookupResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    try:
        record = await info.context.reader.by_id(case_id)
    except StoreUnavailable:
        return unavailable("The case database")
    # Out-of-scope cases look exactly like missing ones: no existence oracle across provinces.
    if record is None or (
        principal.provinces is not None and record.application.domicile.province_code not in principal.provinces
    ):
        return _not_found()
    return case_view(record)


async def case(info: Info, id: strawberry.ID) -> CaseLookupResult:
    return await _lookup(info, str(id))


async def case_by_nik(info: Info, nik: str) -> CaseLookupResult:
    return await _lookup(info, blind_index(nik.strip(), info.context.config.blind_index_key))
