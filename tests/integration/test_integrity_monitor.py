"""The provider integrity view for a monitor: only the providers its body is registered as monitoring."""

from __future__ import annotations

import uuid

from caseapi.shared.auth import Role
from tests.integration.quality_steps import register_body
from tests.integration.training_steps import buy, enrolled, market

PROVIDERS = """query { providerIntegrity(first: 100) { __typename ... on IntegrityList { items { providerCode } }
  ... on Error { code } } }"""
COURSES = """query C($p: String!) { courseIntegrity(providerCode: $p) { __typename
  ... on IntegrityList { items { providerCode courseCode } } ... on Error { code } } }"""


async def test_a_monitor_sees_the_providers_its_body_monitors_and_no_other(stack):
    watched, other = await market(stack), await market(stack)
    for m in (watched, other):
        ((token, _),) = await enrolled(stack, 1)
        bought = await buy(stack, m, token, "selfpaced")
        assert bought["__typename"] == "PurchaseReceipt", bought
    body = f"mon-{uuid.uuid4().hex[:6]}"
    await register_body(stack, body, assesses=False, monitors=True, providers=[watched.provider])
    monitor = stack.token(Role.MONITOR, subject="mon-integrity", body=body)
    national = stack.token(Role.SUPERVISOR)

    mine = (await stack.gql("staff", PROVIDERS, token=monitor))["providerIntegrity"]
    assert {i["providerCode"] for i in mine["items"]} == {watched.provider}, mine
    everyone = (await stack.gql("staff", PROVIDERS, token=national))["providerIntegrity"]
    assert {watched.provider, other.provider} <= {i["providerCode"] for i in everyone["items"]}

    courses = (await stack.gql("staff", COURSES, {"p": watched.provider}, token=monitor))["courseIntegrity"]
    assert courses["items"] and {i["providerCode"] for i in courses["items"]} == {watched.provider}, courses
    hidden = (await stack.gql("staff", COURSES, {"p": other.provider}, token=monitor))["courseIntegrity"]
    assert hidden == {"__typename": "IntegrityList", "items": []}  # another provider: nothing shown

    unregistered = stack.token(Role.MONITOR, subject="mon-nobody", body=f"none-{uuid.uuid4().hex[:6]}")
    nothing = (await stack.gql("staff", PROVIDERS, token=unregistered))["providerIntegrity"]
    assert nothing == {"__typename": "IntegrityList", "items": []}
