"""Server errors schemathesis found (test_schemathesis.py), each pinned by a plain request."""

from __future__ import annotations

import uuid

import pytest
import strawberry

from caseapi.shared.auth import Role
from caseapi.shared.nul_guard import MESSAGE, RejectNulCharacters, holds_nul
from tests.integration.training_queries import REQUEST_OTP, STAFF_UPSERT_COURSE
from tests.integration.training_steps import partner_token, register

FILE_COMPLAINT = """
mutation F($text: String!, $r: String!) {
  fileComplaint(category: CARD, text: $text, requestId: $r) { __typename ... on Error { code } }
}"""


async def post(stack, endpoint: str, query: str, variables: dict | None = None, *, token: str) -> dict:
    resp = await stack.http.post(
        f"/graphql/{endpoint}",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def refused_before_execution(body: dict) -> None:
    """Refused like an invalid document: no data, one pathless error (masked, as validation errors are)."""
    assert body.get("data") is None, body
    assert body["errors"] and all(not e.get("path") for e in body["errors"]), body


def test_holds_nul_looks_into_nested_variables():
    assert holds_nul({"input": {"answers": [{"choice": "a\x00"}]}})
    assert holds_nul({"k\x00": 1})
    assert not holds_nul({"input": {"answers": [{"choice": "a"}], "n": 3, "x": None}})


@pytest.mark.parametrize("where", ["literal", "variable"])
async def test_a_nul_character_in_a_string_is_refused_not_a_server_error(stack, where):
    """It reached PostgreSQL (``invalid byte sequence for encoding "UTF8": 0x00``) and came back masked."""
    token = stack.token(Role.PARTICIPANT, subject=f"fuzz-nul-{uuid.uuid4().hex[:6]}")
    if where == "literal":
        query = 'mutation { fileComplaint(category: CARD, text: "a\\u0000b", requestId: "r1") { __typename } }'
        body = await post(stack, "participant", query, token=token)
    else:
        body = await post(stack, "participant", FILE_COMPLAINT, {"text": "a\x00b", "r": "r1"}, token=token)
    refused_before_execution(body)

    platform = f"fznul-{uuid.uuid4().hex[:6]}"
    await register(stack, platform, "DIGITAL_PLATFORM")
    otp = {"card": "5\x00", "course": "C-1", "price": 1, "rid": "r\x00"}
    body = await post(stack, "partner", REQUEST_OTP, otp, token=partner_token(stack, platform))
    refused_before_execution(body)


async def test_the_nul_refusal_reads_as_such_where_errors_are_not_masked():
    """With masking off (as in a unit test of the schema), the refusal says what is wrong."""

    @strawberry.type
    class Query:
        @strawberry.field
        def echo(self, s: str) -> str:
            return s

    schema = strawberry.Schema(Query, extensions=[RejectNulCharacters])
    for literal in ("x\\u0000", "x\\u{0}", "x\x00", '""x\x00""'):  # escaped, raw, in a block string
        result = await schema.execute(f'{{ echo(s: "{literal}") }}')
        assert result.data is None and [e.message for e in result.errors or []] == [MESSAGE], literal
    result = await schema.execute("query Q($s: String!) { echo(s: $s) }", variable_values={"s": "x\x00"})
    assert [e.message for e in result.errors or []] == [MESSAGE]
    assert (await schema.execute('{ echo(s: "fine") }')).data == {"echo": "fine"}


async def test_course_sessions_mixing_zoned_and_unzoned_times_are_refused_as_invalid(stack):
    """``sorted()`` of naive and aware datetimes raised a TypeError before the course rules could refuse it."""
    code = f"fzc-{uuid.uuid4().hex[:6]}"
    course = {
        "courseCode": code,
        "title": "Mixed sessions",
        "providerCode": "nobody",
        "platformCode": "nobody",
        "price": 100_000,
        "mode": "WEBINAR",
        "category": "IT",
        "sessions": ["2031-01-02T10:00:00+00:00", "2031-01-01T10:00:00"],
    }
    body = await post(stack, "staff", STAFF_UPSERT_COURSE, {"input": course}, token=stack.token(Role.SUPERVISOR))
    assert "errors" not in body, body
    result = body["data"]["upsertCourse"]
    assert result["__typename"] == "CourseInvalid" and "session times need a time zone" in result["message"], result
