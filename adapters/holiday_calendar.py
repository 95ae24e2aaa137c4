"""Indonesia's days off from the maintained ``holidays`` package: public holidays and cuti bersama (its
"government" category), per year, cached."""

from __future__ import annotations

import datetime as dt
import functools

import holidays


@functools.lru_cache(maxsize=32)
def _year(year: int) -> frozenset[dt.date]:
    days = holidays.country_holidays("ID", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT))
    return frozenset(days)


class IndonesianCalendar:
    """``domain.working_days.WorkingCalendar`` over the ``holidays`` package."""

    def holidays(self, first: dt.date, last: dt.date) -> frozenset[dt.date]:
        found: set[dt.date] = set()
        for year in range(first.year, last.year + 1):
            found |= {d for d in _year(year) if first <= d <= last}
        return frozenset(found)


class FixedCalendar:
    """A calendar with the days off given (tests, and a deployment that loads the decree from its own data)."""

    def __init__(self, days_off: frozenset[dt.date] = frozenset()) -> None:
        self._days = days_off

    def holidays(self, first: dt.date, last: dt.date) -> frozenset[dt.date]:
        return frozenset(d for d in self._days if first <= d <= last)
