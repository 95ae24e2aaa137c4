"""A client's malformed query gets the GraphQL validation message (no "Unexpected error.", no field suggestions,
no stack trace); only errors raised while resolving are masked."""

from __future__ import annotations

import pytest

from caseapi.shared.auth import Role

ENDPOINTS = {"participant": Role.PARTICIPANT, "staff": Role.STAFF, "partner": None}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_a_mistyped_field_gets_the_validation_message(stack, endpoint):
    role = ENDPOINTS[endpoint]
    headers = {"authorization": f"Bearer {stack.token(role)}"} if role else {}
    resp = await stack.http.post(f"/graphql/{endpoint}", json={"query": "query { coursez { id } }"}, headers=headers)
    assert resp.status_code == 200
    [error] = resp.json()["errors"]
    assert error["message"] == f"Cannot query field 'coursez' on type '{endpoint.title()}Query'."
    assert "Did you mean" not in resp.text and "Traceback" not in resp.text
    assert set(error) <= {"message", "locations"}


async def test_a_wrong_argument_type_is_named(stack):
    resp = await stack.http.post(
        "/graphql/participant",
        json={"query": 'mutation { joinWave(waveId: 12, extra: "x") { __typename } }'},
        headers={"authorization": f"Bearer {stack.token(Role.PARTICIPANT)}"},
    )
    messages = [e["message"] for e in resp.json()["errors"]]
    assert "Unknown argument 'extra' on field 'Mutation.joinWave'." in messages
