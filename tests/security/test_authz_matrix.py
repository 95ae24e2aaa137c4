"""AuthN/AuthZ matrix: every query, mutation and subscription field of the three schemas × every role.

Fields are enumerated from the schemas as ``caseapi.routes.build_schema`` builds them, so a new field without a
row in ``matrix_table.MATRIX`` fails here. Each cell calls the field with the role's token and classifies the
answer by ``__typename`` (see ``matrix_table``); any entry in ``errors`` fails the cell. Every answer is also
searched for other people's identifiers (A's case, card, voucher, complaint and requests; B's case; DP's
courses): "out of scope must look missing" and "B never sees A's data" hold for every cell.
Subscriptions are checked on their first event through ``schema.subscribe`` with the context the WebSocket
handshake would build; staff feeds get synthetic notifications for province X, then Y.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text

from adapters.db.change_feed import PgChangeFeed
from caseapi.routes import build_schema
from caseapi.shared.auth import AuthError, Role, authenticate, mint_token
from caseapi.shared.context import Context
from domain.change_feed import CASE_CHANGES, STAFF_QUEUES
from server import api_config, api_ports
from tests.integration.training_steps import latest_otp
from tests.security.matrix_calls import (
    ENDPOINTS,
    FieldRef,
    all_fields,
    classify,
    document,
    leaked,
    required_arguments,
    returns_union,
)
from tests.security.matrix_outcomes import EMPTY, FORBID, UNAUTH
from tests.security.matrix_table import MATRIX, arguments
from tests.security.matrix_world import AUDIENCE, PA, ROLES, SUP, World, build_world

FIELDS = all_fields()
CALLS = [f for f in FIELDS if f.operation != "subscription"]
SUBSCRIPTIONS = [f for f in FIELDS if f.operation == "subscription"]


def expected(ref: FieldRef, role: str) -> tuple[str, ...]:
    row = MATRIX[ref.key]
    if role in row:
        want = row[role]
        return want if isinstance(want, tuple) else (want,)
    if not returns_union(ref):
        return (EMPTY,)
    return (FORBID,) if role in AUDIENCE[ref.endpoint] else (UNAUTH,)


STAFF_ONLY = ("timeline", "temporalUiUrl")
"""Nested fields of shared types that resolve to null for anyone but staff."""


def staff_only_values(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [x for v in value for x in staff_only_values(v)]
    if not isinstance(value, dict):
        return []
    own = [v for k, v in value.items() if k in STAFF_ONLY and v is not None]
    return own + [x for v in value.values() for x in staff_only_values(v)]


def check_cell(ref: FieldRef, role: str, value: Any, w: World) -> list[str]:
    """The cell's outcome against the table, other people's data, and staff-only nested fields."""
    problems = []
    got, want = classify(value, typed=returns_union(ref)), expected(ref, role)
    if os.environ.get("MATRIX_PRINT"):  # MATRIX_PRINT=1 pytest -s …: print every cell
        print(f"CELL {ref.key:45} {role:18} {got:9} {json.dumps(value)[:150]}")
    if got not in want:
        problems.append(f"{ref.key} × {role}: expected {'|'.join(want)}, got {got}: {json.dumps(value)[:300]}")
    if found := leaked(value, w.secrets[role]):
        problems.append(f"{ref.key} × {role}: the answer shows another person's data {sorted(found)}")
    if ref.endpoint != "staff" and (shown := staff_only_values(value)):
        problems.append(f"{ref.key} × {role}: staff-only fields answered: {json.dumps(shown)[:200]}")
    return problems


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(stack: Any) -> World:
    return await build_world(stack)


def test_every_field_of_the_schemas_has_a_matrix_row():
    keys = {f.key for f in FIELDS}
    assert not keys - MATRIX.keys(), f"fields without a row in matrix_table.MATRIX: {sorted(keys - MATRIX.keys())}"
    assert not MATRIX.keys() - keys, f"rows for fields that no longer exist: {sorted(MATRIX.keys() - keys)}"
    unknown = {r for row in MATRIX.values() for r in row} - set(ROLES)
    assert not unknown, unknown
    assert len(FIELDS) >= 60 and len(ROLES) == 14  # the matrix is FIELDS × ROLES cells


@pytest.mark.timeout(300)
@pytest.mark.parametrize("ref", CALLS, ids=lambda f: f.key)
async def test_query_and_mutation_cells(stack, world, ref):
    assert ref.key in MATRIX, f"{ref.key} has no row in tests/security/matrix_table.py"
    args = arguments(world).get(ref.key, {})
    assert required_arguments(ref) <= set(args), f"{ref.key}: add an argument template in matrix_table.arguments"
    doc = document(ref, args)
    problems = []
    for role in ROLES:
        token = world.tokens[role]
        headers = {"authorization": f"Bearer {token}"} if token else {}
        resp = await stack.http.post(
            f"/graphql/{ref.endpoint}", json={"query": doc, "variables": args}, headers=headers
        )
        body = resp.json() if resp.status_code == 200 else {"status": resp.status_code, "text": resp.text}
        if resp.status_code != 200 or body.get("errors") or not body.get("data"):
            problems.append(f"{ref.key} × {role}: not a typed answer: {json.dumps(body)[:300]}")
            continue
        problems += check_cell(ref, role, body["data"][ref.name], world)
    assert not problems, "\n".join(problems)


async def test_purchase_otps_are_never_shown_back(stack, world):
    """The OTP goes to the participant's phone only: neither their own case nor staff's view of it shows it."""
    otp = await latest_otp(stack, world.case_a)
    notes = "notifications(limit: 100) { kind body }"
    mine = await stack.gql("participant", f"query {{ myCase {{ ... on Case {{ {notes} }} }} }}", token=world.tokens[PA])
    theirs = await stack.gql(
        "staff", f'query {{ case(id: "{world.case_a}") {{ ... on Case {{ {notes} }} }} }}', token=world.tokens[SUP]
    )
    for answer in (mine, theirs):
        kinds = [n["kind"] for n in next(iter(answer.values()))["notifications"]]
        assert "PURCHASE_OTP" in kinds and otp not in json.dumps(answer), answer


# -- subscriptions ----------------------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def feed(stack: Any) -> AsyncIterator[PgChangeFeed]:
    f = PgChangeFeed(stack.engine, (CASE_CHANGES, STAFF_QUEUES))
    yield f
    await f.close()


def ws_context(stack: Any, feed: PgChangeFeed, endpoint: str, token: str | None) -> Context:
    """What ``CaseGraphQL.on_ws_connect`` builds: the token from ``connection_init`` checked for this endpoint."""
    principal, error = None, None
    try:
        principal = authenticate(
            f"Bearer {token}" if token else None,
            endpoint=endpoint,
            secret=stack.settings.jwt_secret.reveal(),
            issuer=stack.settings.jwt_issuer,
        )
    except AuthError as exc:
        error = str(exc)
    ports = dataclasses.replace(api_ports(stack.settings, stack.engine, stack.client, feed), reader=stack.store)
    return Context(
        request=None, response=None, principal=principal, auth_error=error, config=api_config(stack.settings),
        ports=ports,
    )  # fmt: skip


async def notify_x_then_y(stack: Any, w: World) -> None:
    """A case change and a queue change in province X (A's case), then the same in Y (B's case)."""
    now = dt.datetime.now(dt.UTC).isoformat()
    async with stack.engine.connect() as conn:
        for case_id, province in ((w.case_a, w.province_x), (w.case_b, w.province_y)):
            change = {
                "case_id": case_id,
                "province_code": province,
                "stage": "ELIGIBLE",
                "version": 10**9,
                "next_action": "matrix",
                "updated_at": now,
                "account_id": f"nobody-{uuid.uuid4().hex}",
            }
            queue = {"queue": "complaints", "id": f"matrix-{province}", "case_id": case_id,
                     "province_code": province, "status": "OPEN"}  # fmt: skip
            for channel, message in ((CASE_CHANGES, change), (STAFF_QUEUES, queue)):
                await conn.execute(text("SELECT pg_notify(:c, :m)"), {"c": channel, "m": json.dumps(message)})
        await conn.commit()


async def first_event(stack: Any, feed: PgChangeFeed, w: World, ref: FieldRef, role: str, args: dict) -> Any:
    schema = build_schema(ref.endpoint, introspection=False)
    ctx = ws_context(stack, feed, ref.endpoint, w.tokens[role])
    stream = await schema.subscribe(document(ref, args), variable_values=args, context_value=ctx)
    if not hasattr(stream, "__anext__"):
        return stream  # refused before it started (an ExecutionResult with errors)
    first = asyncio.ensure_future(stream.__anext__())
    try:
        for _ in range(50):  # keep notifying: the feed listens only once the generator has started
            done, _ = await asyncio.wait({first}, timeout=0.2)
            if done:
                return first.result()
            await notify_x_then_y(stack, w)
        raise AssertionError(f"{ref.key} × {role}: no first event within 10 s")
    finally:
        first.cancel()
        await stream.aclose()


@pytest.mark.parametrize("ref", SUBSCRIPTIONS, ids=lambda f: f.key)
async def test_subscription_cells(stack, world, feed, ref):
    assert ref.key in MATRIX, f"{ref.key} has no row in tests/security/matrix_table.py"
    args = arguments(world).get(ref.key, {})
    assert required_arguments(ref) <= set(args)
    problems = []
    for role in ROLES:
        event = await first_event(stack, feed, world, ref, role, args)
        if event.errors or not event.data:
            problems.append(f"{ref.key} × {role}: not a typed event: {event.errors}")
            continue
        problems += check_cell(ref, role, event.data[ref.name], world)
    assert not problems, "\n".join(problems)


# -- audience and role claims -----------------------------------------------------------------------------------

PROBE = {
    "participant": "query { myCase { __typename ... on Error { code message } } }",
    "staff": "query { pendingActions { __typename ... on Error { code message } } }",
    "partner": "query { me { __typename ... on Error { code message } } }",
}
ROLE_OF = {"participant": Role.PARTICIPANT, "staff": Role.STAFF, "partner": Role.PARTNER}


def minted(stack: Any, audience: str, role: Role, **changes: Any) -> str:
    claims: dict[str, Any] = {"secret": stack.settings.jwt_secret.reveal(), "issuer": stack.settings.jwt_issuer}
    claims.update(changes)
    return mint_token(endpoint=audience, subject=f"probe-{uuid.uuid4().hex[:6]}", role=role, **claims)


async def probe(stack: Any, endpoint: str, token: str) -> dict:
    resp = await stack.http.post(
        f"/graphql/{endpoint}", json={"query": PROBE[endpoint]}, headers={"authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 200 and "errors" not in resp.json(), resp.text
    return next(iter(resp.json()["data"].values()))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_tokens_of_another_audience_or_badly_signed_are_not_authenticated(stack, endpoint):
    bad = [minted(stack, other, ROLE_OF[other]) for other in ENDPOINTS if other != endpoint]
    bad += [
        minted(stack, endpoint, ROLE_OF[endpoint], secret="another-secret-of-sufficient-length-0123456789"),
        minted(stack, endpoint, ROLE_OF[endpoint], issuer="someone-else"),
        minted(stack, endpoint, ROLE_OF[endpoint], ttl=dt.timedelta(seconds=-60)),
        minted(stack, endpoint, ROLE_OF[endpoint])[:-4] + "AAAA",
        "not-a-jwt",
    ]
    for token in bad:
        answer = await probe(stack, endpoint, token)
        assert answer["__typename"] == "NotAuthenticated", (token[:20], answer)
    assert (await probe(stack, endpoint, minted(stack, endpoint, ROLE_OF[endpoint])))["__typename"] not in (
        "NotAuthenticated",
        "Forbidden",
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_role_claim_that_does_not_belong_to_the_endpoint_is_forbidden(stack, endpoint):
    """Defence in depth: even a token with the right audience but another client's role gets nothing."""
    for role in set(Role) - {ROLE_OF[endpoint]} - ({Role.SUPERVISOR} if endpoint == "staff" else set()):
        answer = await probe(stack, endpoint, minted(stack, endpoint, role))
        assert answer["__typename"] == "Forbidden", (role, answer)
