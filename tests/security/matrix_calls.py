"""How the matrix calls a field and reads the answer: documents built from the schema, the outcome of a result."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from graphql.pyutils import Undefined

from caseapi.routes import build_schema as build_strawberry_schema
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    is_union_type,
)
from tests.security.matrix_outcomes import EMPTY, FORBID, HIDDEN, NOT_YOURS, NOT_YOURS_CODES, UNAUTH

ENDPOINTS = ("participant", "staff", "partner")
OPERATIONS = ("query", "mutation", "subscription")
SELECTION_DEPTH = 3


@functools.cache
def sdl_schema(endpoint: str) -> GraphQLSchema:
    """The schema as served (built by ``caseapi.routes``), read back from its SDL."""
    return build_schema(build_strawberry_schema(endpoint, introspection=False).as_str())


@dataclass(frozen=True)
class FieldRef:
    endpoint: str
    operation: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.endpoint}.{self.operation}.{self.name}"


def all_fields() -> list[FieldRef]:
    """Every query, mutation and subscription field of the three schemas, in schema order."""
    found = []
    for endpoint in ENDPOINTS:
        schema = sdl_schema(endpoint)
        roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
        for operation, root in zip(OPERATIONS, roots, strict=True):
            found += [FieldRef(endpoint, operation, name) for name in (root.fields if root else {})]
    return found


def _required(a: Any) -> bool:
    """Non-null without a default (graphql-core 3.3 keeps SDL defaults in ``default``)."""
    no_default = a.default_value is Undefined and getattr(a, "default", None) in (None, Undefined)
    return is_non_null_type(a.type) and no_default


def _is_error(t: GraphQLObjectType) -> bool:
    return any(i.name == "Error" for i in t.interfaces)


def _selection(type_: Any, depth: int) -> str:
    named = get_named_type(type_)
    if is_union_type(named):
        assert isinstance(named, GraphQLUnionType)
        members = [f"... on {t.name} {{ {_fields(t, depth)} }}" for t in named.types if not _is_error(t)]
        return " ".join(["__typename", "... on Error { code message }", *members])
    return _fields(named, depth)


def _fields(t: Any, depth: int) -> str:
    """Leaf fields (and, while ``depth`` lasts, nested objects) that need no arguments."""
    out = ["__typename"]
    for name, f in t.fields.items():
        if any(_required(a) for a in f.args.values()):
            continue
        if is_leaf_type(get_named_type(f.type)):
            out.append(name)
        elif depth > 1:
            out.append(f"{name} {{ {_selection(f.type, depth - 1)} }}")
    return " ".join(out)


def field_def(ref: FieldRef) -> GraphQLField:
    schema = sdl_schema(ref.endpoint)
    root = {"query": schema.query_type, "mutation": schema.mutation_type, "subscription": schema.subscription_type}
    return root[ref.operation].fields[ref.name]  # type: ignore[union-attr]


def required_arguments(ref: FieldRef) -> set[str]:
    return {n for n, a in field_def(ref).args.items() if _required(a)}


def document(ref: FieldRef, args: dict[str, Any]) -> str:
    """``<operation> Matrix($a: T!, …) { field(a: $a, …) { selection } }``."""
    f = field_def(ref)
    unknown = set(args) - set(f.args)
    assert not unknown, f"{ref.key}: template has unknown arguments {unknown}"
    decl = ", ".join(f"${n}: {f.args[n].type}" for n in args)
    call = ", ".join(f"{n}: ${n}" for n in args)
    head = f"{ref.operation} Matrix({decl})" if args else f"{ref.operation} Matrix"
    inner = f"{ref.name}({call})" if args else ref.name
    selection = "" if is_leaf_type(get_named_type(f.type)) else f" {{ {_selection(f.type, SELECTION_DEPTH)} }}"
    return f"{head} {{ {inner}{selection} }}"


def returns_union(ref: FieldRef) -> bool:
    return is_union_type(get_named_type(field_def(ref).type))


def classify(value: Any, *, typed: bool) -> str:
    """The outcome of a field's value (see ``matrix_table``)."""
    if not typed:
        return EMPTY if value in (None, []) else "ALLOW"
    kind, code, message = value["__typename"], value.get("code"), value.get("message") or ""
    if kind == "NotAuthenticated":
        return UNAUTH
    if kind == "Forbidden" or (kind == "ActionRefused" and code == "FOUR_EYES_REQUIRED"):
        return FORBID
    if (
        kind in ("CaseNotFound", "CourseNotFound", "PurchaseNotFound")
        or (kind == "RedeemRefused" and code == "REDEEM_CODE_NOT_FOUND")
        or (kind == "ActionRefused" and code == "REQUEST_NOT_FOUND")
        or (kind == "ReviewRefused" and code == "REVIEW_NOT_FOUND")
        or (kind == "InvalidArgument" and "in your scope" in message)
    ):
        return HIDDEN
    if code in NOT_YOURS_CODES:
        return NOT_YOURS
    return "ALLOW"


def leaked(answer: Any, secrets: set[str]) -> set[str]:
    text = json.dumps(answer)
    return {s for s in secrets if s and s in text}
