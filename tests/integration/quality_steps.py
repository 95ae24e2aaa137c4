"""Steps of the course-quality tests: bodies, a provider's submission, each layer's decision, queues."""

from __future__ import annotations

import uuid
from typing import Any

from caseapi.shared.auth import Role
from tests.integration.training_steps import Market, partner_token

VERSION_FIELDS = (
    "courseCode version status layer dueAt escalatedAt assessorBody price decisions { layer verdict actor }"
)
SUBMIT = f"""
mutation S($input: CourseVersionInput!) {{
  submitCourseVersion(input: $input) {{ __typename ... on CourseVersion {{ {VERSION_FIELDS} }}
    ... on Error {{ code message }} }}
}}"""
REVIEW = f"""
mutation R($code: String!, $v: Int!, $verdict: ReviewVerdict!, $reasons: [IndicatorReasonInput!], $rid: String) {{
  reviewCourseVersion(courseCode: $code, version: $v, verdict: $verdict, reasons: $reasons, requestId: $rid) {{
    __typename ... on CourseVersion {{ {VERSION_FIELDS} }} ... on Error {{ code message }} }}
}}"""
QUEUE = f"query Q($o: Boolean!) {{ courseReviewQueue(overdueOnly: $o) {{ {VERSION_FIELDS} }} }}"
REGISTER_BODY = """
mutation B($code: String!, $assesses: Boolean!, $monitors: Boolean!, $providers: [String!]) {
  registerQualityBody(bodyCode: $code, name: $code, assesses: $assesses, monitors: $monitors,
                      monitoredProviders: $providers) { __typename ... on Error { code message } }
}"""
REASONS = [{"indicator": "IND-07", "met": False, "reason": "Modul 3 tidak memiliki tujuan pembelajaran."}]


def version_input(m: Market, code: str, *, price: int = 900_000) -> dict[str, Any]:
    return {
        "courseCode": code, "title": "Pemasaran Digital untuk UMKM", "platformCode": m.platform, "price": price,
        "mode": "SELF_PACED", "category": "Digital Marketing", "modules": ["Dasar", "Media sosial", "Iklan"],
        "tasks": [{"sequence": 1, "title": "Rencana konten"}, {"sequence": 999, "title": "Unjuk keterampilan"}],
        "indicators": ["IND-01", "IND-02", "IND-07"],
    }  # fmt: skip


async def register_body(stack: Any, code: str, *, assesses: bool, monitors: bool, providers=()) -> None:
    variables = {"code": code, "assesses": assesses, "monitors": monitors, "providers": list(providers)}
    done = await stack.gql("staff", REGISTER_BODY, variables, token=stack.token(Role.STAFF))
    assert done["registerQualityBody"]["__typename"] == "QualityBody", done


async def submit(stack: Any, m: Market, code: str, **kw: Any) -> dict[str, Any]:
    result = await stack.gql("partner", SUBMIT, {"input": version_input(m, code, **kw)},
                             token=partner_token(stack, m.provider))  # fmt: skip
    return result["submitCourseVersion"]


def assessor_token(stack: Any, body: str) -> str:
    return stack.token(Role.ASSESSOR, subject=f"assessor-{uuid.uuid4().hex[:6]}", body=body)


async def review(stack: Any, endpoint: str, token: str, code: str, version: int, verdict: str, reasons=None) -> dict:
    """Like a client: a ``TemporarilyUnavailable`` answer (a busy worker) is retried with the same request ID."""
    variables = {"code": code, "v": version, "verdict": verdict, "reasons": reasons, "rid": uuid.uuid4().hex}
    for _ in range(5):
        answer = (await stack.gql(endpoint, REVIEW, variables, token=token))["reviewCourseVersion"]
        if answer["__typename"] != "TemporarilyUnavailable":
            return answer
    return answer


async def through_dp_and_pmo(stack: Any, m: Market, code: str, version: int) -> dict[str, Any]:
    dp = await review(stack, "partner", partner_token(stack, m.platform), code, version, "APPROVE")
    assert dp.get("layer") == "PMO", dp
    pmo = await review(stack, "staff", stack.token(Role.STAFF), code, version, "APPROVE")
    assert pmo.get("layer") == "ASSESSOR", pmo
    return pmo


VERSIONS = f"query V($c: String) {{ courseVersions(courseCode: $c) {{ {VERSION_FIELDS} }} }}"
DP_QUEUE = f"query D($o: Boolean!) {{ courseVersions(overdueOnly: $o) {{ {VERSION_FIELDS} }} }}"


async def versions(stack: Any, m: Market, code: str) -> list[dict[str, Any]]:
    found = await stack.gql("partner", VERSIONS, {"c": code}, token=partner_token(stack, m.provider))
    return found["courseVersions"]


async def wait_version(stack: Any, m: Market, code: str, version: int, check, within: float = 20.0) -> dict:
    import asyncio
    import time

    deadline = time.monotonic() + within
    while True:
        found = next(v for v in await versions(stack, m, code) if v["version"] == version)
        if check(found) or time.monotonic() > deadline:
            assert check(found), found
            return found
        await asyncio.sleep(0.2)
