"""Requests and latency per GraphQL operation and result, as a schema extension (one instance per request).

The operation label is the operation type and its root fields as the schema names them (``mutation apply``), never
the client's ``operationName`` (free text); a root field the schema does not have counts as ``unknown``. The result
is ``server_error`` when a resolver failed unexpectedly (the masked "Unexpected error."), ``error`` with the typed
error's code when a root field answered with one (``FORBIDDEN``, ``DEADLINE_PASSED``; ``TEMPORARILY_UNAVAILABLE``
for an unreachable store), ``invalid`` for a document the schema refused, else ``ok``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from inspect import isawaitable
from typing import Any

from graphql.error import GraphQLError
from graphql.language import FieldNode, OperationType
from graphql.type import GraphQLResolveInfo
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from caseapi.metrics import ERROR, INVALID, OK, SERVER_ERROR, ApiMetrics
from caseapi.shared.errors import Error
from caseapi.shared.mask import UNAVAILABLE

MAX_ROOT_FIELDS = 3
"""An operation selecting more root fields than this is labelled ``<type> multiple``."""


def operation_label(execution_context: Any) -> str:
    document = execution_context.graphql_document
    if document is None:
        return "unparsed"
    operation = get_operation_ast(document, execution_context.operation_name)
    if operation is None:
        return "unknown"
    kind = operation.operation.value
    root = execution_context.schema._schema.get_root_type(operation.operation)
    known = root.fields if root is not None else {}
    names = sorted(
        {
            (s.name.value if s.name.value in known else "unknown")
            for s in operation.selection_set.selections
            if isinstance(s, FieldNode) and not s.name.value.startswith("__")
        }
    )
    if not names:
        return f"{kind} introspection"
    return f"{kind} {','.join(names) if len(names) <= MAX_ROOT_FIELDS else 'multiple'}"


def error_result(errors: list[GraphQLError]) -> tuple[str, str] | None:
    """The result an operation's ``errors`` give it, most serious first; ``None`` for no errors."""
    if not errors:
        return None
    unavailable = [e for e in errors if (e.extensions or {}).get("code") == UNAVAILABLE]
    if any(e.original_error is not None or e.path for e in errors if e not in unavailable):
        return SERVER_ERROR, ""
    if unavailable:
        return ERROR, UNAVAILABLE
    return INVALID, ""


class OperationMetrics(SchemaExtension):
    """Built per request by the factory :func:`operation_metrics` (it holds this request's typed error codes)."""

    def __init__(self, metrics: ApiMetrics, api: str) -> None:
        self.metrics = metrics
        self.api = api
        self.codes: list[str] = []

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.operation_type == OperationType.SUBSCRIPTION:
            return  # a subscription lasts as long as its socket: counted by prakerja.api.websockets.open
        errors = list((ctx.result.errors if ctx.result is not None else None) or ctx.pre_execution_errors or [])
        result, code = error_result(errors) or ((ERROR, self.codes[0]) if self.codes else (OK, ""))
        self.metrics.record(self.api, operation_label(ctx), result, time.perf_counter() - started, code)

    def resolve(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        if info.path.prev is not None:  # only the root fields answer with typed errors worth a label
            return result
        if isawaitable(result):
            return self._noted(result)
        self._note(result)
        return result

    async def _noted(self, pending: Awaitable[Any]) -> Any:
        value = await pending
        self._note(value)
        return value

    def _note(self, value: Any) -> None:
        if isinstance(value, Error):
            code = value.code
            self.codes.append(str(getattr(code, "value", code)))


def operation_metrics(metrics: ApiMetrics, api: str) -> Callable[[], OperationMetrics]:
    """The extension factory a schema takes (a fresh instance per request)."""
    return lambda: OperationMetrics(metrics, api)
