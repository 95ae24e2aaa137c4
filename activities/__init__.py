"""Thin activities over ports; ``build_activities`` is called by the worker's composition root."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from activities.ability_test import AbilityTestActivities
from activities.cases import CaseActivities
from activities.validation import ValidationActivities
from domain.ports import CaseStore, QuestionBankSource
from domain.registries import RegistryPort


def build_activities(
    *, case_store: CaseStore, registries: list[RegistryPort], question_bank: QuestionBankSource, blind_key: bytes
) -> list[Callable[..., Any]]:
    cases = CaseActivities(case_store)
    # Short per-registry budget: the check runs inside the apply's workflow task (local activity); a slower
    # registry is recorded as pending and asked again on a durable timer.
    validation = ValidationActivities(registries, blind_key=blind_key, call_timeout=3.0)
    tests = AbilityTestActivities(question_bank)
    return [
        cases.register_case,
        cases.project_case,
        validation.check_registries,
        tests.draw_ability_test,
        tests.score_ability_test,
    ]
