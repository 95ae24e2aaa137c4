"""Programme dates are Western Indonesian Time (WIB, UTC+7) dates."""

from __future__ import annotations

import datetime as dt

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def programme_date(now: dt.datetime) -> dt.date:
    """The calendar date in WIB of an aware instant (``workflow.now()`` or the API's clock)."""
    return now.astimezone(WIB).date()
