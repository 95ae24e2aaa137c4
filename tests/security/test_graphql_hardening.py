"""graphql-cop's checks as tests against the in-process app: alias overloading, batching, introspection and
GraphiQL, field suggestions, queries over GET and other CSRF-able requests, trace/debug output, depth and token
limits, and error masking. Each check runs on the three endpoints; the introspection checks also on an app built
with production settings (``DEV_MODE`` off)."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import httpx2
import pytest

from caseapi.shared.auth import Role
from tests.security.apps import ENDPOINTS, ExplodingReader, app_client

ALIAS_LIMIT = 15
DEPTH_LIMIT = 10
TOKEN_LIMIT = 2000
STACK_TRACE_MARKERS = ("Traceback", 'File "', "line ", ".py", "Error(", "stacktrace", "exception")
INTROSPECTION = (
    "query { __schema { queryType { name } types { name fields { name } } } }",
    '{ __type(name: "Mutation") { name fields { name } } }',
)


def token_for(stack: Any, endpoint: str) -> str:
    role = {"participant": Role.PARTICIPANT, "staff": Role.STAFF, "partner": Role.PARTNER}[endpoint]
    return stack.token(role, subject=f"sec-{endpoint}-{uuid.uuid4().hex[:6]}")


async def post(http: httpx2.AsyncClient, endpoint: str, query: str, token: str | None = None) -> httpx2.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return await http.post(f"/graphql/{endpoint}", json={"query": query}, headers=headers)


def assert_no_debug_output(resp: httpx2.Response) -> None:
    """No tracing/debug extensions, no exception details, no stack trace anywhere in the answer."""
    text = resp.text
    assert "tracing" not in text.lower() and "debug" not in text.lower(), text[:500]
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        assert not body.get("extensions"), body
        for error in body.get("errors") or []:
            assert set(error) <= {"message", "locations", "path"}, error
    for marker in STACK_TRACE_MARKERS:
        assert marker not in text, (marker, text[:500])


def refused_by_validation(resp: httpx2.Response) -> list[dict[str, Any]]:
    """The errors of a request that was refused before execution: 200, no data, at least one error."""
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body.get("data") is None, body
    assert body["errors"], body
    assert_no_debug_output(resp)
    return body["errors"]


def aliases(n: int) -> str:
    return "query { " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_alias_overloading_is_refused(stack, endpoint, caplog):
    ok = await post(stack.http, endpoint, aliases(ALIAS_LIMIT), token_for(stack, endpoint))
    assert ok.status_code == 200 and len(ok.json()["data"]) == ALIAS_LIMIT, ok.text
    caplog.set_level(logging.ERROR)
    refused_by_validation(await post(stack.http, endpoint, aliases(ALIAS_LIMIT + 1), token_for(stack, endpoint)))
    assert f"{ALIAS_LIMIT + 1} aliases found. Allowed: {ALIAS_LIMIT}" in caplog.text  # the server knows why


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_batched_queries_are_refused_before_anything_runs(stack, endpoint):
    staff = stack.token(Role.STAFF)
    code = f"batch-{uuid.uuid4().hex[:8]}"
    register = f'mutation {{ registerPartner(clientCode: "{code}", name: "Batch", type: JOB_PORTAL) {{ __typename }} }}'
    batch = [{"query": "query { __typename }"}, {"query": register}, {"query": register}]
    resp = await stack.http.post(f"/graphql/{endpoint}", json=batch, headers={"authorization": f"Bearer {staff}"})
    assert resp.status_code == 400, resp.text
    assert "Batching is not enabled" in resp.text
    assert_no_debug_output(resp)
    assert await stack.market.partner(code) is None  # nothing in the batch was executed


@pytest.mark.parametrize("dev_mode", [True, False])
@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_is_off_on_partner_always_and_everywhere_without_dev_mode(stack, dev_mode, query):
    async with app_client(stack, dev_mode=dev_mode) as http:
        for endpoint in ENDPOINTS:
            resp = await post(http, endpoint, query, token_for(stack, endpoint))
            if dev_mode and endpoint != "partner":
                assert resp.status_code == 200 and resp.json().get("data"), resp.text  # dev tooling still works
                assert "errors" not in resp.json(), resp.text
            else:
                errors = refused_by_validation(resp)
                assert all("introspection has been disabled" in e["message"] for e in errors), resp.text
                assert "Mutation" not in resp.text


@pytest.mark.parametrize("dev_mode", [True, False])
async def test_graphiql_is_served_only_in_dev_mode_and_never_to_partners(stack, dev_mode):
    async with app_client(stack, dev_mode=dev_mode) as http:
        for endpoint in ENDPOINTS:
            resp = await http.get(f"/graphql/{endpoint}", headers={"accept": "text/html"})
            if dev_mode and endpoint != "partner":
                assert resp.status_code == 200 and "graphiql" in resp.text.lower()
            else:
                assert resp.status_code == 404, (endpoint, resp.status_code)
                assert "graphiql" not in resp.text.lower()


TYPOS = (
    "query { myCas { __typename } }",
    "query { cass { __typename } }",
    "query { mee { __typename } }",
    'query { trendingJobs(provinceCod: "32") { __typename } }',
    "query { __typename ... on Cas { id } }",
    "mutation { applly { __typename } }",
    "query($x: Strin) { __typename }",
)


@pytest.mark.parametrize("dev_mode", [True, False])
async def test_error_messages_never_suggest_fields_or_types(stack, dev_mode, caplog):
    caplog.set_level(logging.ERROR)
    async with app_client(stack, dev_mode=dev_mode) as http:
        for endpoint in ENDPOINTS:
            for typo in TYPOS:
                resp = await post(http, endpoint, typo, token_for(stack, endpoint))
                refused_by_validation(resp)
                assert "did you mean" not in resp.text.lower(), resp.text
    # Field suggestions are switched off in the schema, not only masked: not even the log has them. Argument, type
    # and enum-value suggestions ("Unknown argument 'provinceCod' … Did you mean 'provinceCode'?") are only in the
    # log: MaskErrors is what keeps them from clients, and the assertion above fails if that ever changes.
    logged = [r.getMessage() for r in caplog.records]
    about_fields = [m for m in logged if m.startswith("Cannot query field")]
    assert about_fields and not [m for m in about_fields if "did you mean" in m.lower()]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_queries_over_get_are_refused(stack, endpoint):
    token = token_for(stack, endpoint)
    for params in (
        {"query": "query { __typename }"},
        {"query": "{ __typename }"},
        {"query": "mutation { __typename }"},
        {"query": "query Q { __typename }", "operationName": "Q", "variables": "{}"},
    ):
        for accept in ("application/json", "text/html", "*/*"):
            headers = {"authorization": f"Bearer {token}", "accept": accept}
            resp = await stack.http.get(f"/graphql/{endpoint}", params=params, headers=headers)
            assert resp.status_code in (400, 405), (params, accept, resp.status_code, resp.text[:200])
            assert '"data"' not in resp.text and "__typename" not in resp.text
            assert_no_debug_output(resp)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_no_csrf_through_simple_cross_site_posts(stack, endpoint):
    """A browser sends text/plain, form-urlencoded and multipart bodies cross-site without a preflight."""
    staff = stack.token(Role.STAFF)
    code = f"csrf-{uuid.uuid4().hex[:8]}"
    mutation = f'mutation {{ registerPartner(clientCode: "{code}", name: "Csrf", type: JOB_PORTAL) {{ __typename }} }}'
    headers = {"authorization": f"Bearer {staff}"}
    attempts = (
        {"content": json.dumps({"query": mutation}), "headers": {**headers, "content-type": "text/plain"}},
        {"data": {"query": mutation}, "headers": headers},
        {"files": {"operations": (None, json.dumps({"query": mutation}))}, "data": {"map": "{}"}, "headers": headers},
    )
    for attempt in attempts:
        resp = await stack.http.post(f"/graphql/{endpoint}", **attempt)
        assert resp.status_code in (400, 415), (attempt["headers"], resp.status_code, resp.text[:200])
        assert_no_debug_output(resp)
    assert await stack.market.partner(code) is None


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_responses_carry_no_trace_or_debug_extensions(stack, endpoint):
    token = token_for(stack, endpoint)
    for query in ("query { __typename }", "query { nope }", "query { __typename @skip(if: maybe) }", "{"):
        resp = await post(stack.http, endpoint, query, token)
        assert resp.status_code == 200, resp.text
        assert_no_debug_output(resp)
        assert "x-trace" not in {k.lower() for k in resp.headers}


def deep(levels: int) -> str:
    inner = "id"
    for i in range(levels):
        inner = f"f{i} {{ {inner} }}"
    return f"query Deep {{ {inner} }}"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_the_depth_limit_answers_with_an_error_and_no_stack_trace(stack, endpoint, caplog):
    caplog.set_level(logging.ERROR)
    refused_by_validation(await post(stack.http, endpoint, deep(DEPTH_LIMIT + 2), token_for(stack, endpoint)))
    assert f"'Deep' exceeds maximum operation depth of {DEPTH_LIMIT}" in caplog.text


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_the_token_limit_answers_with_an_error_and_no_stack_trace(stack, endpoint):
    duplicated = "query { " + "__typename " * (TOKEN_LIMIT + 1) + "}"
    directives = "query { __typename " + "@skip(if: false) " * (TOKEN_LIMIT // 6 + 1) + "}"
    for query in (duplicated, directives):
        [error] = refused_by_validation(await post(stack.http, endpoint, query, token_for(stack, endpoint)))
        assert error["message"] == f"Syntax Error: Document contains more than {TOKEN_LIMIT} tokens. Parsing aborted."


async def test_an_unexpected_error_shows_only_unexpected_error(stack, caplog):
    caplog.set_level(logging.ERROR)
    async with app_client(stack, dev_mode=True, reader=ExplodingReader(stack.store)) as http:
        token = stack.token(Role.PARTICIPANT)
        resp = await post(http, "participant", "query { myCase { __typename ... on Case { id } } }", token)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == ["Unexpected error."]
    assert ExplodingReader.SECRET not in resp.text and "RuntimeError" not in resp.text
    assert_no_debug_output(resp)
    assert ExplodingReader.SECRET in caplog.text  # the operator still sees what happened


async def test_a_database_restart_on_a_field_without_a_typed_error_says_unavailable_and_nothing_else(stack):
    """``waves`` returns a plain list: while PostgreSQL restarts, the error says TEMPORARILY_UNAVAILABLE (retry),
    not "Unexpected error.", and shows nothing of the cause."""
    from domain.errors import StoreUnavailable

    class Restarting:
        async def list(self, **_: object) -> list:
            raise StoreUnavailable("CannotConnectNowError")

    async with app_client(stack, dev_mode=False, waves=Restarting()) as http:
        resp = await post(http, "staff", "query { waves { id } }", stack.token(Role.STAFF))
    [error] = resp.json()["errors"]
    assert error["extensions"] == {"code": "TEMPORARILY_UNAVAILABLE"}
    assert "CannotConnect" not in resp.text
    assert set(error) == {"message", "locations", "path", "extensions"}  # no stack trace, no debug output
