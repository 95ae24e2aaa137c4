"""Working-day arithmetic for programme SLAs (Monday–Friday in WIB; public holidays are not modelled)."""

from __future__ import annotations

import datetime as dt

from domain.clock import WIB


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``start`` moved forward by ``days`` working days, at the same time of day (WIB calendar)."""
    local = start.astimezone(WIB)
    while local.weekday() >= 5:  # a report on a weekend counts from Monday
        local += dt.timedelta(days=1)
    left = days
    while left > 0:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            left -= 1
    return local.astimezone(start.tzinfo or dt.UTC)
