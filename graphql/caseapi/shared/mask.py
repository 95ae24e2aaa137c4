"""Error masking: unexpected errors become "Unexpected error."; a database that is restarting or unreachable is
said as such (``extensions.code = TEMPORARILY_UNAVAILABLE``, nothing else) on fields that have no typed error."""

from __future__ import annotations

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import StoreUnavailable

UNAVAILABLE = "TEMPORARILY_UNAVAILABLE"


class MaskUnexpectedErrors(MaskErrors):
    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if not isinstance(error.original_error, StoreUnavailable):
            return super().anonymise_error(error)
        return GraphQLError(
            message="The service is temporarily unavailable; retry the same request.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": UNAVAILABLE},
        )
