"""Working days from the calendar port, as a local activity: the result is recorded, so a calendar that changes
later (next year's holiday decree, a package upgrade) never changes a recorded history."""

from __future__ import annotations

import datetime as dt

from temporalio import activity

from domain.working_days import WorkingCalendar, WorkingDaysInput, working_days_after


class CalendarActivities:
    def __init__(self, calendar: WorkingCalendar) -> None:
        self._calendar = calendar

    @activity.defn
    async def working_days_after(self, inp: WorkingDaysInput) -> dt.datetime:
        """``inp.days`` working days after ``inp.start`` (WIB; weekends, public holidays and cuti bersama off)."""
        return working_days_after(self._calendar, inp.start, inp.days)
