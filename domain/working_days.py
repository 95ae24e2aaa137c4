"""Working-day arithmetic for programme service levels: Monday to Friday in WIB, less Indonesia's public holidays and
cuti bersama (collective leave decreed each year by a joint ministerial decree, SKB 3 Menteri).

The holidays are data from a calendar port (``WorkingCalendar``), never read inside workflow code: a workflow asks
an activity for the date, so a calendar that changes (next year's decree) never changes a recorded history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from dataclasses import dataclass
from typing import Protocol

from domain.clock import WIB


@dataclass(frozen=True, slots=True)
class WorkingDaysInput:
    """Activity input: the date ``days`` working days after ``start``."""

    start: dt.datetime
    days: int


class WorkingCalendar(Protocol):
    def holidays(self, first: dt.date, last: dt.date) -> frozenset[dt.date]:
        """Public holidays and cuti bersama from ``first`` to ``last`` (inclusive), WIB dates."""
        ...


def add_working_days(start: dt.datetime, days: int, holidays: Set[dt.date] = frozenset()) -> dt.datetime:
    """``start`` moved forward by ``days`` working days, at the same time of day (WIB calendar); a start on a day
    off counts from the next working day."""
    local = start.astimezone(WIB)

    def off(day: dt.datetime) -> bool:
        return day.weekday() >= 5 or day.date() in holidays

    while off(local):
        local += dt.timedelta(days=1)
    left = days
    while left > 0:
        local += dt.timedelta(days=1)
        if not off(local):
            left -= 1
    return local.astimezone(start.tzinfo or dt.UTC)


def working_days_after(calendar: WorkingCalendar, start: dt.datetime, days: int) -> dt.datetime:
    """``add_working_days`` with the calendar's holidays (a generous window: Idulfitri and its leave span ~10 days)."""
    first = start.astimezone(WIB).date()
    return add_working_days(start, days, calendar.holidays(first, first + dt.timedelta(days=7 * days + 30)))
