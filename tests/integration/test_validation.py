"""Validation through the API against the synthetic population: every reason, outages, rule-set version."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import insert

from adapters.db.tables import blacklist, recipients
from adapters.registries.population import apply_input
from caseapi.shared.auth import Role
from domain.application.registries import Registry
from domain.nik import blind_index
from tests.integration.helpers import apply_person, clean_people, decided, eligibility, rule, wait_for_case
from tests.integration.queries import APPLY, START_TEST

TODAY = dt.date.today()


def adult(p) -> bool:
    return p.alive and 19 <= p.age(TODAY) <= 63 and p.province_code != "00"


def codes(p, name: str) -> tuple[str, ...]:
    return p.codes(Registry[name])


def clean(p) -> bool:
    return adult(p) and not any(codes(p, r) for r in ("EDUCATION", "OCCUPATION", "SOCIAL_AID"))


@pytest.fixture(scope="module")
def people(stack):
    pop = stack.population
    distinct = clean_people(pop)
    return {
        "clean": lambda n: distinct[n],
        "student": pop.find(lambda p: adult(p) and codes(p, "EDUCATION") and not codes(p, "OCCUPATION")),
        "civil_servant": pop.find(lambda p: adult(p) and "ASN" in codes(p, "OCCUPATION") and not codes(p, "EDUCATION")),
        "deceased": pop.find(lambda p: not p.alive and 19 <= p.age(TODAY) <= 63),
    }


async def test_a_clean_applicant_becomes_eligible_with_every_rule_recorded(stack, people):
    case, token = await apply_person(stack, people["clean"](0))
    case = await wait_for_case(stack, token, decided)
    assert case["stage"] == "ELIGIBLE", eligibility(case)
    d = eligibility(case)
    assert d["outcome"] == "PASS" and d["rulesetVersion"] == "2023.1"
    sources = {r["ruleId"]: r["source"] for r in d["rules"]}
    assert sources == {
        "CIVIL_REGISTRY_MATCH": "DUKCAPIL",
        "AGE": "DUKCAPIL",
        "NOT_IN_FORMAL_EDUCATION": "EDUCATION",
        "NOT_EXCLUDED_OCCUPATION": "OCCUPATION",
        "NOT_BLACKLISTED": "PROGRAMME",
        "NEVER_A_RECIPIENT": "PROGRAMME",
        "HOUSEHOLD_LIMIT": "PROGRAMME",
        "NO_OTHER_SOCIAL_AID": "SCHEME",
    }
    assert all(r["checkedAt"] for r in d["rules"])


@pytest.mark.parametrize(
    ("who", "rule_id", "words"),
    [
        ("student", "NOT_IN_FORMAL_EDUCATION", "enrolled"),
        ("civil_servant", "NOT_EXCLUDED_OCCUPATION", "civil servant"),
        ("deceased", "CIVIL_REGISTRY_MATCH", "deceased"),
    ],
)
async def test_registry_facts_make_a_case_ineligible_with_reasons(stack, people, who, rule_id, words):
    _, token = await apply_person(stack, people[who])
    case = await wait_for_case(stack, token, decided)
    assert case["stage"] == "INELIGIBLE"
    r = rule(eligibility(case), rule_id)
    assert r["outcome"] == "FAIL" and words in r["reason"]
    assert "not eligible" in case["nextAction"]


async def test_name_not_matching_dukcapil(stack, people):
    _, token = await apply_person(stack, people["clean"](1), fullName="Nama Yang Lain")
    case = await wait_for_case(stack, token, decided)
    assert case["stage"] == "INELIGIBLE"
    assert "full name" in rule(eligibility(case), "CIVIL_REGISTRY_MATCH")["reason"]


async def test_programme_records_blacklist_recipient_and_household(stack, people):
    key = stack.settings.blind_index_key.reveal().encode()
    banned, former, sibling = people["clean"](2), people["clean"](3), people["clean"](4)
    async with stack.engine.begin() as conn:
        await conn.execute(insert(blacklist).values(nik_index=blind_index(banned.nik, key), reason="no first purchase"))
        await conn.execute(
            insert(recipients).values(case_id=blind_index(former.nik, key), kk_index="x", scheme_id="NORMAL_2023")
        )
        for n in range(2):  # two other members of the same KK are already recipients
            await conn.execute(
                insert(recipients).values(
                    case_id=f"other-{sibling.nik[-6:]}-{n}",
                    kk_index=blind_index(sibling.kk_number, key),
                    scheme_id="NORMAL_2023",
                )
            )
    for person, rule_id in ((banned, "NOT_BLACKLISTED"), (former, "NEVER_A_RECIPIENT"), (sibling, "HOUSEHOLD_LIMIT")):
        _, token = await apply_person(stack, person)
        case = await wait_for_case(stack, token, decided)
        assert case["stage"] == "INELIGIBLE", rule_id
        assert rule(eligibility(case), rule_id)["outcome"] == "FAIL"


async def test_registry_outage_waits_and_then_recovers(stack, people):
    dukcapil = stack.registries["DUKCAPIL"]
    education = stack.registries["EDUCATION"]
    dukcapil.outage = True
    try:
        _, token = await apply_person(stack, people["clean"](5))
        pending = await wait_for_case(stack, token, lambda c: any(d["kind"] == "ELIGIBILITY" for d in c["decisions"]))
        assert pending["stage"] == "VALIDATING"
        d = eligibility(pending)
        assert d["outcome"] == "PENDING" and "DUKCAPIL" in d["summary"]
        assert rule(d, "DUKCAPIL_AVAILABLE")["outcome"] == "PENDING"
        asked_education = education.calls
        await asyncio.sleep(1.5)  # several retries at 0.5 s, 1 s...
        still = await wait_for_case(stack, token, lambda c: True)
        assert still["stage"] == "VALIDATING"  # an outage never yields INELIGIBLE
    finally:
        dukcapil.outage = False
    case = await wait_for_case(stack, token, decided)
    assert case["stage"] == "ELIGIBLE"
    assert len([d for d in case["decisions"] if d["kind"] == "ELIGIBILITY"]) == 1  # pending replaced, not stacked
    # Definitive answers were kept: only the missing registry was asked again.
    assert education.calls == asked_education


async def test_dedupe_and_validation_survive_continue_as_new(stack, people):
    """The dev server suggests continue-as-new early (conftest): the case carries its state across runs."""
    inp = apply_input(people["clean"](6), request_id="req-can-0000001")
    token = stack.token(Role.PARTICIPANT)
    first = (await stack.gql("participant", APPLY, {"input": inp}, token=token))["apply"]
    assert first["case"]["stage"] == "ELIGIBLE"
    handle = stack.client.get_workflow_handle(f"participant-{first['case']['id']}")
    first_run = (await handle.describe()).run_id
    # The next workflow task (starting the test) sees "continue-as-new suggested".
    sheet = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    desc = await handle.describe()
    assert desc.run_id != first_run, "expected continue-as-new"
    # The new run answers from carried state: same application result, same open attempt.
    again = (await stack.gql("participant", APPLY, {"input": inp}, token=token))["apply"]
    assert again["__typename"] == "ApplySuccess" and again["case"]["id"] == first["case"]["id"]
    assert again["case"]["appliedAt"] == first["case"]["appliedAt"]
    resumed = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    assert resumed["attempt"]["number"] == 1 and resumed["questions"] == sheet["questions"]
