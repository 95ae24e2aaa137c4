"""The participant schema (served at /graphql/participant)."""

from __future__ import annotations

import strawberry

from caseapi.participant.mutations.apply import apply
from caseapi.participant.queries.my_case import my_case


@strawberry.type
class Query:
    my_case = strawberry.field(
        resolver=my_case, description="Your case: stage, decisions with reasons, next step."
    )


@strawberry.type
class Mutation:
    apply = strawberry.mutation(
        resolver=apply, description="Apply to the programme (idempotent on requestId)."
    )
