"""Indonesian mobile numbers are stored and compared in E.164."""

from __future__ import annotations

import pytest

from domain.application.form import phone_ok
from domain.phones import e164, normalised


@pytest.mark.parametrize(
    "typed",
    ["081234567890", "0812-3456-7890", "0812 3456 7890", "62 812 3456 7890", "6281234567890", "+6281234567890",
     "+62 812-3456-7890", "(0812) 3456 7890"],
)  # fmt: skip
def test_every_common_way_of_writing_a_mobile_number_gives_one_e164(typed):
    assert e164(typed) == "+6281234567890"
    assert normalised(typed) == "+6281234567890"
    assert phone_ok(normalised(typed))  # the stored form passes the application's own check


@pytest.mark.parametrize("typed", ["12345", "021 555 1234", "0812", "+1 415 555 0100", "not a phone", ""])
def test_what_is_not_an_indonesian_mobile_number_stays_as_typed(typed):
    assert e164(typed) is None
    assert normalised(typed) == typed
