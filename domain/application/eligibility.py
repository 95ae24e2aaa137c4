"""Eligibility rules as pure functions over registry answers, parameterised by the scheme (Perpres 36/2020 art. 3;
Permenko 11/2020; the official FAQ)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from domain.application.form import ApplicationForm, age_on
from domain.application.registries import Answer, Registry, RegistryAnswer
from domain.case import Decision, Outcome, RuleResult
from domain.clock import programme_date
from domain.scheme import Scheme
from domain.texts.text import Text, text

Verdict = tuple[str, Outcome, str, Text]
"""A rule's ID, outcome, stored English reason, and the reason as a catalogue text."""


def registries_for(scheme: Scheme) -> tuple[Registry, ...]:
    """Only the registries the scheme's rules need are asked (data minimisation)."""
    base = (Registry.DUKCAPIL, Registry.EDUCATION, Registry.OCCUPATION, Registry.PROGRAMME)
    return (*base, Registry.SOCIAL_AID) if scheme.excludes_social_aid else base


def _normal(name: str) -> str:
    return " ".join(name.upper().split())


def _civil(form: ApplicationForm, a: RegistryAnswer, scheme: Scheme) -> list[Verdict]:
    if a.answer is Answer.NOT_FOUND or a.civil is None:
        return [
            (
                "CIVIL_REGISTRY_MATCH",
                Outcome.FAIL,
                "Dukcapil has no record of this NIK. Check it, or call Dukcapil on 1500-538.",
                text("rule.CIVIL_REGISTRY_MATCH.NOT_FOUND"),
            )
        ]
    c = a.civil
    mismatched = [
        label
        for label, ok in (
            ("KK_NUMBER", c.kk_number == form.kk_number),
            ("FULL_NAME", _normal(c.full_name) == _normal(form.full_name)),
            ("DATE_OF_BIRTH", c.date_of_birth == form.date_of_birth),
        )
        if not ok
    ]
    results = []
    if not c.alive:
        results.append(
            (
                "CIVIL_REGISTRY_MATCH",
                Outcome.FAIL,
                "Dukcapil records this NIK as deceased.",
                text("rule.CIVIL_REGISTRY_MATCH.DECEASED"),
            )
        )
    elif mismatched:
        results.append(
            (
                "CIVIL_REGISTRY_MATCH",
                Outcome.FAIL,
                f"Dukcapil's {', '.join(_CIVIL_NAMES[m] for m in mismatched)} differ from your application. "
                "Correct it, or call Dukcapil on 1500-538.",
                text("rule.CIVIL_REGISTRY_MATCH.MISMATCH", fields=";".join(f"civil.{m}" for m in mismatched)),
            )
        )
    else:
        results.append(
            (
                "CIVIL_REGISTRY_MATCH",
                Outcome.PASS,
                "NIK, KK number, name and date of birth match Dukcapil.",
                text("rule.CIVIL_REGISTRY_MATCH.PASS"),
            )
        )
    age = age_on(c.date_of_birth, programme_date(a.checked_at))
    outcome = Outcome.PASS if scheme.age_ok(age) else Outcome.FAIL
    limits = "RANGE" if scheme.max_age is not None else "MIN"
    results.append(
        (
            "AGE",
            outcome,
            f"Age {age} by Dukcapil's date of birth; the scheme requires {scheme.age_rule_text()}.",
            text(f"rule.AGE.{outcome.value}_{limits}", age=age, min=scheme.min_age, max=scheme.max_age),
        )
    )
    return results


_CIVIL_NAMES = {"KK_NUMBER": "KK number", "FULL_NAME": "full name", "DATE_OF_BIRTH": "date of birth"}

_EDU_NAMES = {"DAPODIK": "Dapodik (schools)", "PDDIKTI": "PDDikti (universities)", "EMIS": "EMIS (madrasahs)"}


def _education(_: ApplicationForm, a: RegistryAnswer, __: Scheme) -> list[Verdict]:
    if a.answer is Answer.NOT_FOUND:
        return [_ok("NOT_IN_FORMAL_EDUCATION", "Not enrolled in formal education.")]
    where = ", ".join(_EDU_NAMES.get(code, code) for code in a.memberships)
    return [
        (
            "NOT_IN_FORMAL_EDUCATION",
            Outcome.FAIL,
            f"Registered as currently enrolled in {where}. "
            "If you have graduated, ask your school or university to update it.",
            text("rule.NOT_IN_FORMAL_EDUCATION.FAIL", where=";".join(f"edu.{m}" for m in a.memberships)),
        )
    ]


_JOB_NAMES = {
    "ASN": "civil servant (ASN)",
    "TNI": "military (TNI)",
    "POLRI": "police (Polri)",
    "DPRD": "regional parliament (DPRD)",
    "VILLAGE_OFFICIAL": "village head or official",
    "BUMN_BOARD": "board of a state or regional enterprise",
}


def _occupation(_: ApplicationForm, a: RegistryAnswer, __: Scheme) -> list[Verdict]:
    if a.answer is Answer.NOT_FOUND:
        return [_ok("NOT_EXCLUDED_OCCUPATION", "Not in an excluded occupation.")]
    jobs = ", ".join(_JOB_NAMES.get(code, code) for code in a.memberships)
    return [
        (
            "NOT_EXCLUDED_OCCUPATION",
            Outcome.FAIL,
            f"Registered as {jobs}, which the programme excludes.",
            text("rule.NOT_EXCLUDED_OCCUPATION.FAIL", jobs=";".join(f"job.{m}" for m in a.memberships)),
        )
    ]


def _social_aid(_: ApplicationForm, a: RegistryAnswer, __: Scheme) -> list[Verdict]:
    if a.answer is Answer.NOT_FOUND:
        return [_ok("NO_OTHER_SOCIAL_AID", "Not a recipient of other social aid.")]
    return [
        (
            "NO_OTHER_SOCIAL_AID",
            Outcome.FAIL,
            f"Registered in {', '.join(a.memberships)}; this scheme excludes recipients of other social aid.",
            text("rule.NO_OTHER_SOCIAL_AID.FAIL", programmes=", ".join(a.memberships)),
        )
    ]


def _programme(_: ApplicationForm, a: RegistryAnswer, scheme: Scheme) -> list[Verdict]:
    codes = set(a.memberships)
    selected = max((int(c.split(":")[1]) for c in codes if c.startswith("KK_SELECTED:")), default=0)
    household = f"{selected} of {scheme.max_selected_per_kk} places for your KK are used."
    full = selected >= scheme.max_selected_per_kk
    if full:
        household = (
            f"{selected} members of your family card (KK) are already recipients; "
            f"the limit is {scheme.max_selected_per_kk}."
        )
    return [
        _fail("NOT_BLACKLISTED", "This NIK was revoked from the programme and may not apply again.")
        if "BLACKLIST" in codes
        else _ok("NOT_BLACKLISTED", "Not blacklisted."),
        _fail("NEVER_A_RECIPIENT", "This NIK has already been a programme recipient.")
        if "RECIPIENT" in codes
        else _ok("NEVER_A_RECIPIENT", "Never a programme recipient."),
        (
            "HOUSEHOLD_LIMIT",
            Outcome.FAIL if full else Outcome.PASS,
            household,
            text(
                f"rule.HOUSEHOLD_LIMIT.{'FAIL' if full else 'PASS'}",
                selected=selected,
                limit=scheme.max_selected_per_kk,
            ),
        ),
    ]


def _ok(rule_id: str, reason: str) -> Verdict:
    return (rule_id, Outcome.PASS, reason, text(f"rule.{rule_id}.PASS"))


def _fail(rule_id: str, reason: str) -> Verdict:
    return (rule_id, Outcome.FAIL, reason, text(f"rule.{rule_id}.FAIL"))


RULES: dict[Registry, Callable[[ApplicationForm, RegistryAnswer, Scheme], list[Verdict]]] = {
    Registry.DUKCAPIL: _civil,
    Registry.EDUCATION: _education,
    Registry.OCCUPATION: _occupation,
    Registry.SOCIAL_AID: _social_aid,
    Registry.PROGRAMME: _programme,
}


def evaluate(
    form: ApplicationForm, answers: dict[Registry, RegistryAnswer], *, scheme: Scheme, now: dt.datetime
) -> Decision:
    """The eligibility decision: PENDING while any needed registry is unavailable, else PASS or FAIL."""
    rules: list[RuleResult] = []
    pending: list[str] = []
    for registry in registries_for(scheme):
        answer = answers.get(registry)
        if answer is None or answer.answer is Answer.UNAVAILABLE:
            pending.append(registry.value)
            rules.append(
                RuleResult(
                    f"{registry.value}_AVAILABLE",
                    Outcome.PENDING,
                    "Registry unavailable; retrying automatically.",
                    registry.value,
                    now,
                    text("rule.REGISTRY_AVAILABLE", registry=registry.value),
                )
            )
            continue
        for rule_id, outcome, reason, message in RULES[registry](form, answer, scheme):
            rules.append(RuleResult(rule_id, outcome, reason, registry.value, answer.checked_at, message))
    if not scheme.excludes_social_aid:
        rules.append(
            RuleResult(
                "NO_OTHER_SOCIAL_AID",
                Outcome.PASS,
                "Other social aid does not exclude applicants in this scheme.",
                "SCHEME",
                now,
                text("rule.NO_OTHER_SOCIAL_AID.SCHEME"),
            )
        )
    failed = [r for r in rules if r.outcome is Outcome.FAIL]
    if pending:
        outcome, summary = Outcome.PENDING, f"Validation pending: waiting for {', '.join(pending)}."
        message = text("decision.ELIGIBILITY.PENDING", pending=", ".join(pending))
    elif failed:
        outcome, summary = Outcome.FAIL, f"Not eligible: {'; '.join(r.reason for r in failed)}"
        message = text("decision.ELIGIBILITY.FAIL", count=len(failed))
    else:
        outcome, summary = Outcome.PASS, "Eligible: every registry check passed."
        message = text("decision.ELIGIBILITY.PASS")
    return Decision("ELIGIBILITY", outcome, summary, now, scheme.ruleset_version, tuple(rules), message)
