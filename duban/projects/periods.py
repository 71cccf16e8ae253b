"""Report periods of a project: weeks (Monday to Sunday) or calendar months, due a few working
days after the period ends (REPORT_GRACE_WORKING_DAYS)."""

from __future__ import annotations

import calendar as pycalendar
import datetime

from duban.core import calendar

from .choices import ReportFrequency

REPORT_GRACE_WORKING_DAYS = 2


def period_of(day: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date]:
    """The period holding `day`: its first and last date."""
    if frequency == ReportFrequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    last = pycalendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def due_date(period_end: datetime.date) -> datetime.date:
    """Reports are due REPORT_GRACE_WORKING_DAYS working days after the period ends."""
    return calendar.add_working_days(period_end, REPORT_GRACE_WORKING_DAYS)


def last_due_period(today: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date] | None:
    """The latest period whose report is overdue today (due before today), or None."""
    start, _end = period_of(today, frequency)
    for _ in range(3):  # the previous period's due date lies at most a few weeks back
        start, end = period_of(start - datetime.timedelta(days=1), frequency)
        if due_date(end) < today:
            return start, end
    return None
