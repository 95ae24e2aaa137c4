import datetime as dt

import pytest

from domain.clock import WIB
from domain.working_days import add_working_days

MONDAY = dt.datetime(2026, 11, 23, 10, 30, tzinfo=WIB)
FRIDAY = MONDAY + dt.timedelta(days=4)
SATURDAY = MONDAY + dt.timedelta(days=5)
SUNDAY = MONDAY + dt.timedelta(days=6)


def test_the_fixture_days_are_what_they_say():
    assert [d.strftime("%a") for d in (MONDAY, FRIDAY, SATURDAY, SUNDAY)] == ["Mon", "Fri", "Sat", "Sun"]


def test_friday_plus_one_is_monday():
    assert add_working_days(FRIDAY, 1) == MONDAY + dt.timedelta(days=7)


@pytest.mark.parametrize("start", [SATURDAY, SUNDAY], ids=["saturday", "sunday"])
def test_weekend_report_counts_from_monday(start):
    next_monday = MONDAY + dt.timedelta(days=7)
    assert add_working_days(start, 0) == next_monday
    assert add_working_days(start, 1) == next_monday + dt.timedelta(days=1)


def test_zero_days_on_a_weekday_is_the_same_instant():
    assert add_working_days(MONDAY, 0) == MONDAY


@pytest.mark.parametrize(
    ("days", "calendar_days"),
    [(1, 1), (4, 4), (5, 7), (6, 8), (7, 9), (10, 14)],
)
def test_working_days_from_a_monday(days, calendar_days):
    assert add_working_days(MONDAY, days) == MONDAY + dt.timedelta(days=calendar_days)


def test_seven_working_days_span_nine_calendar_days_from_a_monday():
    due = add_working_days(MONDAY, 7)
    assert (due - MONDAY).days == 9
    assert due.strftime("%a") == "Wed"


def test_keeps_the_time_of_day():
    due = add_working_days(MONDAY, 3)
    assert due.astimezone(WIB).time() == MONDAY.time()


def test_uses_the_wib_calendar_and_returns_the_callers_time_zone():
    # Friday 20:00 UTC is already Saturday 03:00 WIB, so it counts from Monday 03:00 WIB.
    friday_evening_utc = dt.datetime(2026, 11, 27, 20, 0, tzinfo=dt.UTC)
    due = add_working_days(friday_evening_utc, 1)
    assert due.tzinfo is dt.UTC
    assert due.astimezone(WIB) == dt.datetime(2026, 12, 1, 3, 0, tzinfo=WIB)
    assert due == dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC)


def test_friday_morning_utc_is_still_friday_in_wib():
    friday_utc = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB Friday
    due = add_working_days(friday_utc, 1)
    assert due == dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    assert due.astimezone(WIB).strftime("%a %H:%M") == "Mon 09:00"


def test_idulfitri_2026_and_its_cuti_bersama_are_not_working_days():
    """Nyepi and Idulfitri 2026 with the collective leave around them (SKB 3 Menteri): a one-day window opened on
    Tuesday 17 March closes on Wednesday 25 March, not on Wednesday 18 March."""
    from adapters.holiday_calendar import IndonesianCalendar
    from domain.working_days import working_days_after

    start = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)
    assert add_working_days(start, 1) == dt.datetime(2026, 3, 18, 10, 0, tzinfo=WIB)  # weekdays only
    assert working_days_after(IndonesianCalendar(), start, 1) == dt.datetime(2026, 3, 25, 10, 0, tzinfo=WIB)


def test_a_holiday_start_counts_from_the_next_working_day():
    christmas = dt.datetime(2026, 12, 25, 9, 0, tzinfo=WIB)  # a Friday
    assert add_working_days(christmas, 0, {christmas.date()}) == dt.datetime(2026, 12, 28, 9, 0, tzinfo=WIB)
