"""The partner schema (served at /graphql/partner)."""

from __future__ import annotations

import strawberry

from caseapi.partner.queries.me import me


@strawberry.type
class Query:
    me = strawberry.field(resolver=me, description="The calling partner's identity.")
