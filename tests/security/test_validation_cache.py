"""A document the clients send again and again is validated once per schema, and the limits still apply."""

from __future__ import annotations

import uuid

import pytest
import strawberry.schema.schema as strawberry_schema

from caseapi.routes import build_schema


@pytest.mark.parametrize("endpoint", ["participant", "staff", "partner"])
async def test_a_repeated_document_is_validated_once(endpoint, monkeypatch):
    schema = build_schema(endpoint, introspection=False)
    validated: list[str] = []
    real = strawberry_schema.validate

    def counting(schema, document, rules):
        validated.append(document.definitions[0].name.value)
        return real(schema, document, rules)

    monkeypatch.setattr(strawberry_schema, "validate", counting)
    name = f"Q{uuid.uuid4().hex}"  # a text no other test has had validated
    for _ in range(3):
        result = await schema.execute(f"query {name} {{ __typename }}")
        assert result.errors is None and result.data == {"__typename": f"{endpoint.title()}Query"}
    assert validated == [name]


async def test_the_shared_rules_still_refuse_aliased_documents_on_every_request(caplog):
    schema = build_schema("participant", introspection=False)
    aliases = "query A { " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    for _ in range(2):  # refused on the first request and, from the cache, on the second
        result = await schema.execute(aliases)
        assert result.data is None and result.errors  # masked for the client; the log says why
    assert caplog.text.count("16 aliases found. Allowed: 15") == 2
