"""Every eligibility rule's pass and fail, with its reason, source and rule-set version."""

import dataclasses
import datetime as dt

import pytest

from domain.application.eligibility import evaluate, registries_for
from domain.application.registries import Answer, CivilRecord, Registry, RegistryAnswer
from domain.case import Outcome
from domain.scheme import NORMAL_2023, SEMI_BANSOS_2020
from tests.domain.test_application import form

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
FORM = form()
CIVIL = CivilRecord(FORM.nik, FORM.kk_number, "BUDI  santoso", FORM.date_of_birth, "M")


def ok_answers(scheme=NORMAL_2023, **replace):
    answers = {
        Registry.DUKCAPIL: RegistryAnswer(Registry.DUKCAPIL, Answer.FOUND, NOW, civil=CIVIL),
        Registry.EDUCATION: RegistryAnswer(Registry.EDUCATION, Answer.NOT_FOUND, NOW),
        Registry.OCCUPATION: RegistryAnswer(Registry.OCCUPATION, Answer.NOT_FOUND, NOW),
        Registry.SOCIAL_AID: RegistryAnswer(Registry.SOCIAL_AID, Answer.NOT_FOUND, NOW),
        Registry.PROGRAMME: RegistryAnswer(Registry.PROGRAMME, Answer.FOUND, NOW, memberships=("KK_SELECTED:0",)),
    }
    answers.update({Registry[k]: v for k, v in replace.items()})
    return answers


def rule(decision, rule_id):
    [r] = [r for r in decision.rules if r.rule_id == rule_id]
    return r


def test_all_pass_is_eligible_with_version_and_sources():
    d = evaluate(FORM, ok_answers(), scheme=NORMAL_2023, now=NOW)
    assert d.outcome is Outcome.PASS and d.kind == "ELIGIBILITY"
    assert d.ruleset_version == "2023.1"
    assert rule(d, "CIVIL_REGISTRY_MATCH").source == "DUKCAPIL"
    assert rule(d, "NOT_IN_FORMAL_EDUCATION").source == "EDUCATION"
    assert rule(d, "NO_OTHER_SOCIAL_AID").source == "SCHEME"  # 2023+: not a criterion
    assert all(r.outcome is Outcome.PASS for r in d.rules)


@pytest.mark.parametrize(
    ("registry", "answer", "rule_id", "words"),
    [
        ("DUKCAPIL", RegistryAnswer(Registry.DUKCAPIL, Answer.NOT_FOUND, NOW), "CIVIL_REGISTRY_MATCH", "no record"),
        (
            "DUKCAPIL",
            RegistryAnswer(Registry.DUKCAPIL, Answer.FOUND, NOW, civil=dataclasses.replace(CIVIL, full_name="Budi S")),
            "CIVIL_REGISTRY_MATCH",
            "full name",
        ),
        (
            "DUKCAPIL",
            RegistryAnswer(
                Registry.DUKCAPIL, Answer.FOUND, NOW, civil=dataclasses.replace(CIVIL, kk_number="3201019999999999")
            ),
            "CIVIL_REGISTRY_MATCH",
            "KK number",
        ),
        (
            "DUKCAPIL",
            RegistryAnswer(Registry.DUKCAPIL, Answer.FOUND, NOW, civil=dataclasses.replace(CIVIL, alive=False)),
            "CIVIL_REGISTRY_MATCH",
            "deceased",
        ),
        (
            "DUKCAPIL",
            RegistryAnswer(
                Registry.DUKCAPIL,
                Answer.FOUND,
                NOW,
                civil=dataclasses.replace(CIVIL, date_of_birth=dt.date(1950, 1, 1)),
            ),
            "AGE",
            "between 18 and 64",
        ),
        (
            "EDUCATION",
            RegistryAnswer(Registry.EDUCATION, Answer.FOUND, NOW, memberships=("PDDIKTI",)),
            "NOT_IN_FORMAL_EDUCATION",
            "PDDikti",
        ),
        (
            "OCCUPATION",
            RegistryAnswer(Registry.OCCUPATION, Answer.FOUND, NOW, memberships=("ASN",)),
            "NOT_EXCLUDED_OCCUPATION",
            "civil servant",
        ),
        (
            "PROGRAMME",
            RegistryAnswer(Registry.PROGRAMME, Answer.FOUND, NOW, memberships=("KK_SELECTED:0", "BLACKLIST")),
            "NOT_BLACKLISTED",
            "revoked",
        ),
        (
            "PROGRAMME",
            RegistryAnswer(Registry.PROGRAMME, Answer.FOUND, NOW, memberships=("KK_SELECTED:0", "RECIPIENT")),
            "NEVER_A_RECIPIENT",
            "already been",
        ),
        (
            "PROGRAMME",
            RegistryAnswer(Registry.PROGRAMME, Answer.FOUND, NOW, memberships=("KK_SELECTED:2",)),
            "HOUSEHOLD_LIMIT",
            "limit is 2",
        ),
    ],
)
def test_each_failing_rule_makes_the_case_ineligible_with_its_reason(registry, answer, rule_id, words):
    d = evaluate(FORM, ok_answers(**{registry: answer}), scheme=NORMAL_2023, now=NOW)
    assert d.outcome is Outcome.FAIL
    r = rule(d, rule_id)
    assert r.outcome is Outcome.FAIL and words in r.reason and r.source == registry
    assert words in d.summary


def test_household_with_one_recipient_still_passes():
    answers = ok_answers(
        PROGRAMME=RegistryAnswer(Registry.PROGRAMME, Answer.FOUND, NOW, memberships=("KK_SELECTED:1",))
    )
    assert rule(evaluate(FORM, answers, scheme=NORMAL_2023, now=NOW), "HOUSEHOLD_LIMIT").outcome is Outcome.PASS


def test_social_aid_excludes_only_in_the_2020_scheme():
    aid = RegistryAnswer(Registry.SOCIAL_AID, Answer.FOUND, NOW, memberships=("PKH", "BPNT"))
    assert Registry.SOCIAL_AID not in registries_for(NORMAL_2023)
    assert Registry.SOCIAL_AID in registries_for(SEMI_BANSOS_2020)
    d2020 = evaluate(FORM, ok_answers(SOCIAL_AID=aid), scheme=SEMI_BANSOS_2020, now=NOW)
    assert d2020.outcome is Outcome.FAIL and rule(d2020, "NO_OTHER_SOCIAL_AID").source == "SOCIAL_AID"
    assert d2020.ruleset_version == "2020.1"
    assert evaluate(FORM, ok_answers(SOCIAL_AID=aid), scheme=NORMAL_2023, now=NOW).outcome is Outcome.PASS


def test_2020_scheme_has_no_upper_age_limit():
    old = dataclasses.replace(CIVIL, date_of_birth=dt.date(1950, 1, 1))
    answers = ok_answers(DUKCAPIL=RegistryAnswer(Registry.DUKCAPIL, Answer.FOUND, NOW, civil=old))
    assert rule(evaluate(FORM, answers, scheme=SEMI_BANSOS_2020, now=NOW), "AGE").outcome is Outcome.PASS


def test_an_unavailable_registry_never_makes_a_case_ineligible():
    down = RegistryAnswer(Registry.DUKCAPIL, Answer.UNAVAILABLE, NOW, detail="HTTP 503")
    student = RegistryAnswer(Registry.EDUCATION, Answer.FOUND, NOW, memberships=("PDDIKTI",))
    d = evaluate(FORM, ok_answers(DUKCAPIL=down, EDUCATION=student), scheme=NORMAL_2023, now=NOW)
    assert d.outcome is Outcome.PENDING
    assert "DUKCAPIL" in d.summary
    assert rule(d, "DUKCAPIL_AVAILABLE").outcome is Outcome.PENDING
    missing = ok_answers()
    del missing[Registry.OCCUPATION]
    assert evaluate(FORM, missing, scheme=NORMAL_2023, now=NOW).outcome is Outcome.PENDING
