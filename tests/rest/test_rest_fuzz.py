"""Schemathesis on docs/partner-api/openapi.yaml: generated bodies, signed by a partner of the endpoint's type,
cause no server error, and every answer matches the document (derandomized and bounded)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from partnerkit.openapi import validate
from tests.integration.training_steps import register
from tests.rest.partner_calls import post

FILE = Path(__file__).parents[2] / "docs" / "partner-api" / "openapi.yaml"
BUDGET = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 5}


def _bodies(operation: Any, mode: GenerationMode, count: int) -> list[Any]:
    bodies: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def collect(case: Any) -> None:
        bodies.append(case.body)

    collect()
    return bodies


def generate() -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for result in schemathesis.openapi.from_path(str(FILE)).get_all_operations():
        operation = result.ok()
        out[operation.path] = [body for mode, count in BUDGET.items() for body in _bodies(operation, mode, count)]
    return out


async def test_generated_bodies_cause_no_server_error_and_answers_match_the_document(stack):
    spec = yaml.safe_load(FILE.read_text())
    tag = uuid.uuid4().hex[:6]
    dp, lp = f"fzdp-{tag}", f"fzlp-{tag}"
    keys = {dp: await register(stack, dp, "DIGITAL_PLATFORM"), lp: await register(stack, lp, "TRAINING_PROVIDER")}
    generated = await asyncio.to_thread(generate)
    assert set(generated) == set(spec["paths"])
    problems, sent = [], 0
    for path, bodies in generated.items():
        caller = dp if "/payment/" in path and "redeem-code" not in path else lp
        for body in bodies:
            auth = {"authorization": "Payment x.y"} if path.endswith("/authorize") else {}
            response = await post(stack.http, keys[caller], caller, path, body, **auth)
            sent += 1
            responses = spec["paths"][path]["post"]["responses"]
            if (response.status_code >= 500 and response.status_code != 503) or str(
                response.status_code
            ) not in responses:
                problems.append(f"{path} {body!r}: HTTP {response.status_code} {response.text[:200]}")
                continue
            schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
            found = validate(schema, response.json(), spec)
            if found:
                problems.append(f"{path} {body!r}: {found}")
    assert sent >= 9 * 10 and not problems, "\n".join(problems[:20])
