"""Thin activities over ports; ``build_activities`` is called by the worker's composition root."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from activities.cases import CaseActivities
from domain.ports import CaseStore


def build_activities(*, case_store: CaseStore) -> list[Callable[..., Any]]:
    cases = CaseActivities(case_store)
    return [cases.register_case, cases.project_case]
