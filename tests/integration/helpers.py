"""Shared steps for integration tests: apply a population member, wait for a decision."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
import uuid
from typing import Any

from adapters.registries.population import Person, apply_input
from caseapi.shared.auth import Role
from domain.application.registries import Registry
from tests.integration.queries import APPLY, MY_CASE


async def apply_person(stack: Any, person: Person, *, endpoint_stack: Any = None, **overrides: Any) -> tuple[dict, str]:
    token = stack.token(Role.PARTICIPANT)
    inp = apply_input(person, request_id=f"req-{uuid.uuid4().hex[:16]}", **overrides)
    target = endpoint_stack or stack
    result = (await target.gql("participant", APPLY, {"input": inp}, token=token))["apply"]
    assert result["__typename"] == "ApplySuccess", result
    return result["case"], token


async def wait_for_case(stack: Any, token: str, predicate: Any, *, within: float = 30.0) -> dict:
    deadline = time.monotonic() + within
    while True:
        case = (await stack.gql("participant", MY_CASE, token=token))["myCase"]
        if predicate(case):
            return case
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met; last case: {case}")
        await asyncio.sleep(0.1)


def decided(case: dict) -> bool:
    return case["stage"] in ("ELIGIBLE", "INELIGIBLE")


def eligibility(case: dict) -> dict:
    [d] = [d for d in case["decisions"] if d["kind"] == "ELIGIBILITY"]
    return d


def rule(decision: dict, rule_id: str) -> dict:
    [r] = [r for r in decision["rules"] if r["ruleId"] == rule_id]
    return r


_TODAY = dt.date.today()
_clean_cache: dict[int, list[Person]] = {}
_handed_out = itertools.count()


def _clean(p: Person) -> bool:
    registries = (Registry.EDUCATION, Registry.OCCUPATION, Registry.SOCIAL_AID)
    return p.alive and 19 <= p.age(_TODAY) <= 63 and not any(p.codes(r) for r in registries)


def clean_people(population: Any) -> list[Person]:
    """Eligible people, one per family card so household rules never couple tests."""
    key = id(population)
    if key not in _clean_cache:
        households: dict[str, Person] = {}
        for person in population:
            if _clean(person) and person.kk_number not in households:
                households[person.kk_number] = person
        _clean_cache[key] = list(households.values())
    return _clean_cache[key]


def fresh_clean_person(population: Any) -> Person:
    """A clean person no other test has used (tests index from the end, fixtures from the start)."""
    people = clean_people(population)
    return people[-1 - next(_handed_out)]
