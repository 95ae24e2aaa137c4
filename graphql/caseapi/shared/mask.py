"""Error masking: unexpected errors (raised while resolving) become "Unexpected error."; validation errors are
shown; a database that is restarting or unreachable is
said as such (``extensions.code = TEMPORARILY_UNAVAILABLE``, nothing else) on fields that have no typed error."""

from __future__ import annotations

import re

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import StoreUnavailable

UNAVAILABLE = "TEMPORARILY_UNAVAILABLE"


def unexpected(error: GraphQLError) -> bool:
    """Only what a resolver raised is masked: a validation or syntax error (no original error, no path) is the
    client's own mistake and reaches it as the GraphQL spec gives it (field suggestions stay off)."""
    return error.original_error is not None or bool(error.path)


_SUGGESTION = re.compile(r" Did you mean .*$", re.S)


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=unexpected)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        """As the base class, and a validation message loses graphql-core's "Did you mean …?" (arguments, types and
        enum values; field suggestions are off in the schema): the schema is not revealed one guess at a time."""
        return [self._without_suggestion(e) for e in super()._process_errors(errors)]

    @staticmethod
    def _without_suggestion(error: GraphQLError) -> GraphQLError:
        message = _SUGGESTION.sub("", error.message)
        if message == error.message:
            return error
        return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions)

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
