"""The participant API answers in the request's language: Bahasa Indonesia by default (no Accept-Language, or an
Indonesian one), English on request; decisions, rule reasons, next action, wave reasons, typed errors' and field
problems' messages. Codes never change with the language."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from adapters.registries.population import apply_input
from caseapi.shared.auth import Role
from domain.application.registries import Registry
from tests.english_words import english_words
from tests.integration.helpers import decided, fresh_clean_person, wait_for_case
from tests.integration.queries import APPLY, MY_CASE

INDONESIAN = [None, "id-ID,id;q=0.9,en;q=0.8", "id"]


def _texts(case: dict) -> list[str]:
    """Every participant-facing sentence of a case as the API renders it."""
    texts = [case["nextAction"]]
    for d in case["decisions"]:
        texts.append(d["summary"])
        texts += [r["reason"] for r in d["rules"]]
    texts += [w["reasonText"] for w in case["waves"] if w["reasonText"]]
    return texts


async def _apply(stack, person, lang, **overrides):
    token = stack.token(Role.PARTICIPANT)
    inp = apply_input(person, request_id=f"req-{uuid.uuid4().hex[:16]}", **overrides)
    result = (await stack.gql("participant", APPLY, {"input": inp}, token=token, lang=lang))["apply"]
    return result, token


async def _my_case(stack, token, lang):
    return (await stack.gql("participant", MY_CASE, token=token, lang=lang))["myCase"]


async def test_an_eligible_case_reads_in_indonesian_by_default_and_in_english_on_request(stack):
    result, token = await _apply(stack, fresh_clean_person(stack.population), None)
    assert result["__typename"] == "ApplySuccess", result
    assert "tes kemampuan dasar" in result["case"]["nextAction"]
    await wait_for_case(stack, token, decided)
    for lang in INDONESIAN:
        case = await _my_case(stack, token, lang)
        assert case["stage"] == "ELIGIBLE"
        texts = _texts(case)
        assert len(texts) >= 10
        assert [t for t in texts if english_words(t)] == [], lang
        assert "Ikuti tes kemampuan dasar" in case["nextAction"]
        summaries = {d["kind"]: d["summary"] for d in case["decisions"]}
        assert summaries["ELIGIBILITY"] == "Memenuhi syarat: semua pemeriksaan data lolos."
    english = await _my_case(stack, token, "en-US,en;q=0.9")
    assert "Take the basic-ability test" in english["nextAction"]
    assert {d["kind"]: d["summary"] for d in english["decisions"]}["ELIGIBILITY"] == (
        "Eligible: every registry check passed."
    )
    # The language changes the words only: kinds, outcomes, rule IDs and sources are the same.
    indonesian = await _my_case(stack, token, None)
    assert all(a != b for a, b in zip(_texts(english), _texts(indonesian), strict=True))
    strip = [[(r["ruleId"], r["outcome"], r["source"]) for r in d["rules"]] for d in english["decisions"]]
    assert strip == [[(r["ruleId"], r["outcome"], r["source"]) for r in d["rules"]] for d in indonesian["decisions"]]


async def test_an_ineligible_case_gives_its_reasons_in_the_request_language(stack):
    pop = stack.population
    today = dt.date.today()
    students = [
        p
        for p in pop
        if p.alive and 19 <= p.age(today) <= 63 and p.codes(Registry.EDUCATION) and not p.codes(Registry.OCCUPATION)
    ]
    result, token = await _apply(stack, students[-1], None)  # test_validation applies the first one
    assert result["__typename"] == "ApplySuccess", result
    await wait_for_case(stack, token, decided)
    case = await _my_case(stack, token, None)
    assert case["stage"] == "INELIGIBLE"
    [education] = [r for d in case["decisions"] for r in d["rules"] if r["ruleId"] == "NOT_IN_FORMAL_EDUCATION"]
    assert education["outcome"] == "FAIL" and education["reason"].startswith("Tercatat sedang menempuh pendidikan")
    assert case["nextAction"].startswith("Anda tidak memenuhi syarat")
    assert [t for t in _texts(case) if english_words(t)] == []
    english = await _my_case(stack, token, "en")
    [reason] = [
        r["reason"] for d in english["decisions"] for r in d["rules"] if r["ruleId"] == "NOT_IN_FORMAL_EDUCATION"
    ]
    assert reason.startswith("Registered as currently enrolled")
    assert english["nextAction"].startswith("You are not eligible")


@pytest.mark.parametrize(
    ("lang", "message", "email"),
    [
        (None, "Pendaftaran belum dapat dicatat; periksa isian yang ditandai.", "Masukkan alamat e-mail yang valid."),
        ("en", "The application has problems; nothing was recorded.", "Enter a valid email address."),
    ],
)
async def test_typed_errors_and_field_problems_speak_the_request_language(stack, lang, message, email):
    result, _ = await _apply(stack, fresh_clean_person(stack.population), lang, email="bukan-email", consent=False)
    assert result["__typename"] == "ApplicationInvalid", result
    problems = {e["code"]: e["message"] for e in result["fieldErrors"]}
    assert problems["EMAIL_FORMAT"] == email
    assert set(problems) >= {"EMAIL_FORMAT", "CONSENT_REQUIRED"}
    if lang is None:
        assert [m for m in problems.values() if english_words(m)] == []
    plain = await stack.gql(
        "participant",
        "mutation A($input: ApplyInput!) { apply(input: $input) { __typename ... on Error { code message } } }",
        {"input": apply_input(fresh_clean_person(stack.population), request_id="req-x", consent=False)},
        token=stack.token(Role.PARTICIPANT),
        lang=lang,
    )
    assert plain["apply"] == {"__typename": "ApplicationInvalid", "code": "INVALID_APPLICATION", "message": message}


@pytest.mark.parametrize(("lang", "message"), [(None, "Anda belum mendaftar."), ("en-GB", "You have not applied yet.")])
async def test_no_case_yet_in_both_languages(stack, lang, message):
    result = await _my_case(stack, stack.token(Role.PARTICIPANT), lang)
    assert result == {"__typename": "NoCaseYet", "code": "CASE_NOT_FOUND", "message": message}


async def test_a_missing_token_is_refused_in_indonesian(stack):
    result = await stack.gql("participant", MY_CASE, lang=None)
    assert result["myCase"]["code"] == "UNAUTHENTICATED"
    assert result["myCase"]["message"] == "Silakan masuk terlebih dahulu."


def test_the_error_extension_renders_by_code_and_never_falls_back_to_english():
    from types import SimpleNamespace

    from caseapi.shared.errors import FieldError, InvalidArgument
    from caseapi.shared.language import ErrorMessagesInLanguage
    from domain.errors import ErrorCode

    ext = ErrorMessagesInLanguage()

    def message(root, lang):
        info = SimpleNamespace(field_name="message", context=SimpleNamespace(lang=lang))
        return ext.resolve(lambda r, _i: r.message, root, info)

    limit = InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="first must be 1–50.")
    assert message(limit, "id") == "Isian tidak valid atau di luar batas."
    assert message(limit, "en") == "first must be 1–50."  # English readers keep the specifics
    unknown = FieldError(field="nik", code="NIK_SOMETHING_NEW", message="Something new is wrong.")
    assert message(unknown, "id") == "Isian ini tidak valid."
