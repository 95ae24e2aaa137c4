"""The staff schema (served at /graphql/staff)."""

from __future__ import annotations

import strawberry

from caseapi.staff.queries.case import case, case_by_nik
from caseapi.staff.queries.cases import cases


@strawberry.type
class Query:
    case = strawberry.field(resolver=case, description="One case by its ID, within your province scope.")
    case_by_nik = strawberry.field(resolver=case_by_nik, description="One case by NIK (matched by blind index).")
    cases = strawberry.field(resolver=cases, description="Search cases with keyset pagination.")
