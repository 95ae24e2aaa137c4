"""Compressed schemes shrink machine waits but keep the windows a person acts in usable, and the texts a person
reads state the durations the scheme really runs."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import progress
from domain.case import Stage
from domain.durations import describe
from domain.scheme import LOADTEST_2023, NORMAL_2023, PERSON_WINDOW_FLOOR, SEMI_BANSOS_2020, get_scheme


@pytest.mark.parametrize("factor", [2, 5, 60, 1500, 86_400])
@pytest.mark.parametrize("base", [NORMAL_2023, SEMI_BANSOS_2020])
def test_the_ability_test_is_never_shorter_than_five_minutes(base, factor):
    fast = base.compressed(factor=factor)
    assert fast.ability_test_duration >= PERSON_WINDOW_FLOOR == dt.timedelta(minutes=5)
    assert fast.ability_test_duration == max(base.ability_test_duration / factor, PERSON_WINDOW_FLOOR)
    # Machine waits still shrink by the whole factor.
    assert fast.first_purchase_deadline == base.first_purchase_deadline / factor
    assert fast.registry_retry_initial == base.registry_retry_initial / factor


def test_a_mildly_compressed_test_keeps_its_compressed_length_and_production_is_untouched():
    assert NORMAL_2023.compressed(factor=2).ability_test_duration == dt.timedelta(minutes=12, seconds=30)
    assert NORMAL_2023.ability_test_duration == dt.timedelta(minutes=25)
    assert get_scheme("NORMAL_2023_X60").ability_test_duration == dt.timedelta(minutes=5)
    assert LOADTEST_2023.ability_test_duration == dt.timedelta(minutes=25)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (dt.timedelta(minutes=25), "25 minutes"),
        (dt.timedelta(minutes=5), "5 minutes"),
        (dt.timedelta(days=15), "15 days"),
        (dt.timedelta(days=15) / 60, "6 hours"),
        (dt.timedelta(minutes=25) / 60, "25 seconds"),
        (dt.timedelta(minutes=1), "1 minute"),
        (dt.timedelta(minutes=1, seconds=30), "1 minute 30 seconds"),
        (dt.timedelta(days=1, hours=2, minutes=3), "1 day 2 hours"),
        (dt.timedelta(0), "0 seconds"),
    ],
)
def test_durations_read_as_a_person_says_them(duration, text):
    assert describe(duration) == text


@pytest.mark.parametrize(
    ("scheme", "length"),
    [
        (NORMAL_2023, "18 questions, 25 minutes"),
        (NORMAL_2023.compressed(factor=60), "18 questions, 5 minutes"),
        (NORMAL_2023.compressed(factor=2), "18 questions, 12 minutes 30 seconds"),
    ],
)
def test_next_action_states_the_schemes_actual_test_length(scheme, length):
    text = progress.next_action(Stage.ELIGIBLE, [], scheme, lang="en")
    assert f"({length}; 3 attempt(s) left)" in text
    if scheme is not NORMAL_2023:
        assert "25 minutes" not in text
