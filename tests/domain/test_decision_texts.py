"""Every decision and rule the domain records carries a catalogue text that renders in both languages without
falling back to the stored English line, and the Indonesian one has no English sentence in it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain import decisions as d
from domain.application.eligibility import evaluate
from domain.application.registries import Answer, Registry, RegistryAnswer
from domain.case import Decision
from domain.scheme import NORMAL_2023, SEMI_BANSOS_2020
from domain.texts import render
from domain.waves.lifecycle import REASON_TEXT, WaveEntry
from tests.domain.test_eligibility import CIVIL, FORM, NOW, ok_answers
from tests.english_words import english_words

_MISSING = "\x00missing"


def _decisions() -> list[Decision]:
    entries = [
        WaveEntry("W-1", NOW, "SELECTED" if r.startswith("SELECTED") else "NOT_SELECTED", r, NOW) for r in REASON_TEXT
    ]
    stranger = dataclasses.replace(CIVIL, full_name="Orang Lain", date_of_birth=dt.date(1950, 1, 1), alive=True)
    return [
        d.application_decision("2023.1", NOW),
        d.revocation_decision("no training was bought", 3_500_000, "2023.1", NOW),
        *(d.wave_decision(e, "2023.1") for e in entries),
        d.incentive_decision(700_000, "2023.1", NOW),
        d.clawback_decision("x", "PDDikti", "s1", "2023.1", NOW, reason_code="ENROLLED_STUDENT", detail="kuliah"),
        d.operator_revocation_decision("fraud", "s1", "s2", 100, "2023.1", NOW),
        d.reinstatement_decision("error", "s1", "s2", 100, "2023.1", NOW),
        evaluate(FORM, ok_answers(), scheme=NORMAL_2023, now=NOW),
        evaluate(FORM, ok_answers(), scheme=SEMI_BANSOS_2020, now=NOW),
        evaluate(FORM, ok_answers(DUKCAPIL=RegistryAnswer(Registry.DUKCAPIL, Answer.UNAVAILABLE, NOW)),
                 scheme=NORMAL_2023, now=NOW),
        evaluate(FORM, ok_answers(DUKCAPIL=RegistryAnswer(Registry.DUKCAPIL, Answer.NOT_FOUND, NOW)),
                 scheme=NORMAL_2023, now=NOW),
        evaluate(FORM, ok_answers(
            DUKCAPIL=RegistryAnswer(Registry.DUKCAPIL, Answer.FOUND, NOW, civil=stranger),
            EDUCATION=RegistryAnswer(Registry.EDUCATION, Answer.FOUND, NOW, memberships=("PDDIKTI",)),
            OCCUPATION=RegistryAnswer(Registry.OCCUPATION, Answer.FOUND, NOW, memberships=("ASN", "TNI")),
            SOCIAL_AID=RegistryAnswer(Registry.SOCIAL_AID, Answer.FOUND, NOW, memberships=("PKH",)),
            PROGRAMME=RegistryAnswer(Registry.PROGRAMME, Answer.FOUND, NOW,
                                     memberships=("BLACKLIST", "RECIPIENT", "KK_SELECTED:2")),
        ), scheme=SEMI_BANSOS_2020, now=NOW),
        evaluate(FORM, ok_answers(DUKCAPIL=RegistryAnswer(
            Registry.DUKCAPIL, Answer.FOUND, NOW, civil=dataclasses.replace(CIVIL, alive=False))),
            scheme=NORMAL_2023, now=NOW),
    ]  # fmt: skip


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_recorded_text_renders_from_the_catalogue(lang):
    for decision in _decisions():
        assert decision.message is not None, decision.kind
        for value in (decision.message, *(r.message for r in decision.rules)):
            assert value is not None, decision
            shown = render(value, lang, fallback=_MISSING)
            assert shown != _MISSING and "{" not in shown, value
            if lang == "id":
                assert english_words(shown) == set(), shown


def test_the_indonesian_reasons_say_what_the_english_ones_say():
    failed = _decisions()[-2]
    reasons = {r.rule_id: render(r.message, "id") for r in failed.rules if r.message and r.outcome.value == "FAIL"}
    assert "nama lengkap" in reasons["CIVIL_REGISTRY_MATCH"] and "tanggal lahir" in reasons["CIVIL_REGISTRY_MATCH"]
    assert "PDDikti (perguruan tinggi)" in reasons["NOT_IN_FORMAL_EDUCATION"]
    assert "aparatur sipil negara (ASN); anggota TNI" in reasons["NOT_EXCLUDED_OCCUPATION"]
    assert "PKH" in reasons["NO_OTHER_SOCIAL_AID"]
    assert "batasnya" in reasons["HOUSEHOLD_LIMIT"]
    revoked = _decisions()[1]
    assert render(revoked.rules[1].message, "id") == "Rp3.500.000 dikembalikan ke kas negara."


def test_decisions_recorded_before_the_catalogue_read_in_indonesian_where_no_parameter_is_needed():
    from domain.case import Outcome, RuleResult
    from domain.texts.recorded import decision_text, rule_text

    old = Decision(
        "APPLICATION_RECORDED", Outcome.PASS, "Application recorded; registry validation follows.", NOW, "2023.1",
        (RuleResult("CONSENT", Outcome.PASS, "Consent was given.", "APPLICATION", NOW),
         RuleResult("AGE", Outcome.PASS, "Age is within the scheme's limits.", "APPLICATION", NOW),
         RuleResult("NOT_BLACKLISTED", Outcome.FAIL, "This NIK was revoked.", "PROGRAMME", NOW),
         RuleResult("SELECTED_LOTTERY", Outcome.PASS, "Selected by the wave's lottery.", "WAVE W1", NOW)),
    )  # fmt: skip
    shown = [render(t, "id") if t else None for t in (decision_text(old), *map(rule_text, old.rules))]
    assert shown == [
        "Pendaftaran tercatat; verifikasi data ke instansi pemerintah menyusul.",
        "Persetujuan sudah diberikan.",
        None,  # AGE's texts need the age: the stored line is shown
        "Kepesertaan NIK ini pernah dicabut dan tidak dapat mendaftar lagi.",
        "Lolos melalui undian gelombang dalam kuota provinsi Anda.",
    ]
    failed = dataclasses.replace(old, kind="ELIGIBILITY", outcome=Outcome.FAIL)
    assert decision_text(failed) is None  # its text needs the count of failed rules
