"""Schemathesis against the participant, staff and partner schemas: no generated document causes a server error.

Callers have identities no other test uses: a participant without a case and one who just applied, a national
supervisor, and freshly registered partners of each type. Documents that could touch other tests' data on the
shared database are held back (``fuzz_harness.GUARDS``). Bounded and derandomized: the same documents every run.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from schemathesis import GenerationMode

from caseapi.shared.auth import Role
from tests.integration.helpers import apply_person, fresh_clean_person
from tests.integration.training_steps import partner_token, register
from tests.security.apps import ENDPOINTS
from tests.security.fuzz_harness import fuzz

BUDGET = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 4}
"""Examples per operation and mode (before de-duplication)."""
ANONYMOUS_BUDGET = {GenerationMode.POSITIVE: 4}

PARTNER_KINDS = ("DIGITAL_PLATFORM", "TRAINING_PROVIDER", "JOB_PORTAL", "PAYMENT_PARTNER")
OWNER = {
    "redeemVoucher": "TRAINING_PROVIDER",
    "reportCompletion": "TRAINING_PROVIDER",
    "reportTestScore": "TRAINING_PROVIDER",
    "skillsTask": "TRAINING_PROVIDER",
    "gradeSkillsTask": "TRAINING_PROVIDER",
    "reopenSkillsTask": "TRAINING_PROVIDER",
    "upsertVacancy": "JOB_PORTAL",
}
"""The partner type an operation is for (platform otherwise); every fourth document goes to another type."""


async def callers(stack: Any, endpoint: str) -> Any:
    tag = uuid.uuid4().hex[:6]
    if endpoint == "participant":
        _, applied = await apply_person(stack, fresh_clean_person(stack.population))
        tokens = (stack.token(Role.PARTICIPANT, subject=f"fuzz-nocase-{tag}"), applied)
        return lambda op, i: tokens[i % 2]
    if endpoint == "staff":
        supervisor = stack.token(Role.SUPERVISOR, subject=f"fuzz-supervisor-{tag}")
        return lambda op, i: supervisor
    partners = {}
    for kind in PARTNER_KINDS:
        code = f"fz{kind[:2].lower()}-{tag}"
        await register(stack, code, kind)
        partners[kind] = partner_token(stack, code)

    def partner(op: str, i: int) -> str:
        owner = OWNER.get(op, "DIGITAL_PLATFORM")
        return partners[PARTNER_KINDS[(PARTNER_KINDS.index(owner) + i // 4) % 4]] if i % 4 == 3 else partners[owner]

    return partner


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_generated_documents_cause_no_server_error(stack, endpoint):
    report = await fuzz(stack.http, endpoint, BUDGET, await callers(stack, endpoint))
    print(report.summary())
    assert report.sent and not report.findings, report.summary()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_without_a_token_generated_documents_are_refused_cleanly(stack, endpoint):
    report = await fuzz(stack.http, endpoint, ANONYMOUS_BUDGET, lambda op, i: None)
    print(report.summary())
    assert report.sent and not report.findings, report.summary()
