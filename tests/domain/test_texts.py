"""The message catalogue: every code in both languages, no English inside the Indonesian texts, formatting as
Indonesians read it, and every code the domain produces has an entry."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from domain.clawback.saga import REASON_CODES
from domain.errors import ErrorCode
from domain.payouts.tranches import FAILURE_TEXT
from domain.texts import Text, from_accept_language, render, text
from domain.texts.catalogue import CATALOGUE
from domain.texts.format import date_text, datetime_text, duration_text, rupiah
from domain.waves.lifecycle import REASON_TEXT
from tests.english_words import english_words

UTC = dt.UTC


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_both_languages_with_the_same_placeholders(code):
    indonesian, english = CATALOGUE[code]
    assert indonesian.strip() and english.strip()
    assert indonesian != english or code.startswith(("edu.", "job.")), code
    assert _placeholders(indonesian) == _placeholders(english)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_no_english_sentence_in_the_indonesian_texts(code):
    assert english_words(CATALOGUE[code][0]) == set(), CATALOGUE[code][0]


def test_the_stop_list_catches_english():
    assert english_words(CATALOGUE["next.JOIN_WAVE"][1]) == {"you", "are", "and", "the", "your"}


@pytest.mark.parametrize(
    ("prefix", "codes"),
    [
        ("error", [c.value for c in ErrorCode]),
        ("wave", list(REASON_TEXT)),
        ("failure", list(FAILURE_TEXT)),
        ("audit", list(REASON_CODES)),
    ],
)
def test_every_stable_code_has_an_entry(prefix, codes):
    assert [c for c in codes if f"{prefix}.{c}" not in CATALOGUE] == []


def test_every_field_problem_code_has_an_entry():
    codes = {
        "EMAIL_FORMAT", "PHONE_FORMAT", "NAME_LENGTH", "DOB_FUTURE", "AGE_OUT_OF_RANGE", "INTEREST_LENGTH",
        "CONSENT_REQUIRED", "STREET_LENGTH", "PROVINCE_UNKNOWN", "REGENCY_UNKNOWN", "NIK_FORMAT", "NIK_PROVINCE",
        "NIK_WILAYAH", "NIK_SERIAL", "NIK_BIRTHDATE_MISMATCH", "NIK_SEX_MISMATCH", "KK_FORMAT", "KK_AREA",
    }  # fmt: skip
    assert {c for c in codes if f"field.{c}" not in CATALOGUE} == set()


def test_rendering_fills_amounts_and_times_as_indonesians_read_them():
    due = dt.datetime(2026, 12, 6, 7, 30, tzinfo=UTC)  # 14.30 WIB
    survey = text("next.PAYOUT.SURVEY", number=2, due=due, amount=125_000)
    assert render(survey, "id") == "Isi survei 2 sebelum 6 Desember 2026 14.30 WIB untuk menerima Rp125.000."
    assert render(survey, "en") == "Answer survey 2 before 6 December 2026 14:30 WIB to receive Rp125.000."


def test_nested_codes_render_in_the_same_language():
    wave = text("decision.WAVE_SELECTION", wave="W-7", reason="wave.NOT_SELECTED_QUOTA")
    assert render(wave, "id").startswith("Gelombang W-7: Belum lolos: kuota provinsi Anda")
    assert render(wave, "en").startswith("Wave W-7: Not selected: your province's quota")
    missing = text("next.PAYOUT.PREREQUISITES", missing="prereq.RATING;prereq.ACCOUNT")
    assert "beri nilai dan ulasan" in render(missing, "id") and "; hubungkan rekening" in render(missing, "id")


def test_a_state_recorded_before_the_catalogue_falls_back_to_its_stored_text():
    assert render(Text("decision.NO_SUCH_KIND"), "id", fallback="stored") == "stored"
    assert render(Text("rule.BALANCE_FORFEITED"), "id", fallback="Rp1 returned") == "Rp1 returned"  # no amount
    assert render(Text("rule.BALANCE_FORFEITED", (("amount", "1500000"),)), "id") == (
        "Rp1.500.000 dikembalikan ke kas negara."
    )


def test_formats():
    assert rupiah(3_500_000) == "Rp3.500.000" and rupiah(0) == "Rp0" and rupiah(-500) == "-Rp500"
    late = dt.datetime(2026, 12, 31, 18, 5, tzinfo=UTC)  # already 1 January in WIB
    assert date_text(late, "id") == "1 Januari 2027"
    assert datetime_text(late, "id") == "1 Januari 2027 01.05 WIB"
    assert datetime_text(late, "en") == "1 January 2027 01:05 WIB"
    assert duration_text(dt.timedelta(minutes=25), "id") == "25 menit"
    assert duration_text(dt.timedelta(seconds=750), "id") == "12 menit 30 detik"
    assert duration_text(dt.timedelta(seconds=750), "en") == "12 minutes 30 seconds"
    assert duration_text(dt.timedelta(hours=1), "en") == "1 hour"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "id"),
        ("", "id"),
        ("id-ID,id;q=0.9,en;q=0.8", "id"),
        ("en-US,en;q=0.9", "en"),
        ("en", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("de", "id"),
        ("en;q=0, id", "id"),
        ("id;q=0.4, en;q=0.6", "en"),
    ],
)
def test_accept_language(header, lang):
    assert from_accept_language(header) == lang
