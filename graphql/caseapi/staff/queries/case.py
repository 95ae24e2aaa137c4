"""``case(id)`` and ``caseByNik(nik)``: one case, within the staff member's province scope."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared.context import Info
from caseapi.shared.errors import CaseNotFound, Forbidden, NotAuthenticated, TemporarilyUnavailable
from caseapi.shared.types import Case, case_view
from caseapi.staff.scope import scoped_case
from domain.nik import blind_index

CaseLookupResult = Annotated[
    Case | CaseNotFound | NotAuthenticated | Forbidden | TemporarilyUnavailable,
    strawberry.union("CaseLookupResult"),
]


async def _lookup(info: Info, case_id: str) -> CaseLookupResult:
    found = await scoped_case(info, case_id)
    return case_view(found[1]) if isinstance(found, tuple) else found


async def case(info: Info, id: strawberry.ID) -> CaseLookupResult:
    return await _lookup(info, str(id))


async def case_by_nik(info: Info, nik: str) -> CaseLookupResult:
    return await _lookup(info, blind_index(nik.strip(), info.context.config.blind_index_key))
