"""Trending jobs: the categories most applied for in a province and month (WIB). Pure.

Demand of a category = the participants' ``APPLIED`` marks made during the month on vacancies of that
category in the province (a mark is counted in the month of its time; a later ``NOT_INTERESTED`` replaces it).
The top ten are ordered by demand, then by the number of the province's vacancies of the category open at
some point in the month, then by category name. Categories compare case-insensitively.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain.clock import WIB, programme_date
from domain.jobs.vacancies import normalized_category

TOP = 10
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class CategoryDemand:
    category: str
    applications: int
    """``APPLIED`` marks in the month on the province's vacancies of this category."""
    vacancies: int
    """The province's vacancies of this category open at some point in the month."""


@dataclass(frozen=True, slots=True)
class Month:
    first_day: dt.date

    @property
    def label(self) -> str:
        return f"{self.first_day.year:04d}-{self.first_day.month:02d}"

    @property
    def next_first_day(self) -> dt.date:
        year, month = divmod(self.first_day.year * 12 + self.first_day.month, 12)
        return dt.date(year, month + 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next_first_day - dt.timedelta(days=1)

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """``[start, end)`` as aware instants: midnight WIB on the first day and on the next month's first day."""
        return (
            dt.datetime.combine(self.first_day, dt.time(), WIB),
            dt.datetime.combine(self.next_first_day, dt.time(), WIB),
        )


def parse_month(text: str) -> Month | None:
    """``YYYY-MM`` (months 01–12, years 2000–2999); ``None`` when malformed."""
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 2000 <= int(found.group(1)) <= 2999:
        return None
    return Month(dt.date(int(found.group(1)), int(found.group(2)), 1))


def month_of(now: dt.datetime) -> Month:
    """The WIB calendar month of an aware instant."""
    return Month(programme_date(now).replace(day=1))


def top_categories(rows: Iterable[CategoryDemand], limit: int = TOP) -> list[CategoryDemand]:
    """Merge spellings of a category (the smallest spelling names it) and keep the ``limit`` most in demand."""
    merged: dict[str, CategoryDemand] = {}
    for row in rows:
        key = normalized_category(row.category)
        seen = merged.get(key)
        if seen is None:
            merged[key] = row
            continue
        merged[key] = CategoryDemand(
            category=min(seen.category, row.category),
            applications=seen.applications + row.applications,
            vacancies=seen.vacancies + row.vacancies,
        )
    ordered = sorted(merged.items(), key=lambda kv: (-kv[1].applications, -kv[1].vacancies, kv[0]))
    return [row for _, row in ordered[: max(0, limit)]]
