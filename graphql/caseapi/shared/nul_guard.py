"""Refuse NUL characters in any string a request carries, before anything is executed.

PostgreSQL text cannot hold U+0000: a NUL in any argument that reaches the database (a complaint's text, an
idempotency key, a reason in the audit log…) failed deep in a resolver as an unexpected error. No client has a
reason to send one, so a document or variables holding one are refused like any other invalid document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from graphql import GraphQLError, StringValueNode, Visitor, visit

MESSAGE = "Strings must not contain NUL (U+0000) characters."


class _FindNul(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if "\x00" in node.value:
            self.found = True
            return self.BREAK
        return None


def holds_nul(value: Any) -> bool:
    """Whether a (JSON-decoded) value holds a string with a NUL anywhere, keys included."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


class RejectNulCharacters(SchemaExtension):
    """Adds a validation error; list it after ``ValidationCache``, whose result it extends (never mutates)."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        finder = _FindNul()
        # A NUL is written raw or as an escape (\u0000, \u{0}): documents with neither need no walk.
        query = ctx.query
        if ctx.graphql_document is not None and (query is None or "\x00" in query or "\\u" in query):
            visit(ctx.graphql_document, finder)
        if finder.found or holds_nul(ctx.variables):
            ctx.pre_execution_errors = [*(ctx.pre_execution_errors or []), GraphQLError(MESSAGE)]
        yield
