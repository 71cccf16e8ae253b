"""Deadlines the county uses: 年前, month end, quarter end, the N-th working day of next month.

Every function returns a working day (see docs/calendar.md for the exact definitions).
"""

from __future__ import annotations

import calendar as std_calendar
import datetime

from lunardate import LunarDate

from .counting import ONE_DAY, add_working_days, previous_workday
from .days import _check_date, is_workday


def spring_festival(year: int) -> datetime.date:
    """Lunar new year's day (正月初一) of the lunar year that starts in `year`."""
    return LunarDate(year, 1, 1).to_solar_date()


def spring_festival_holiday_start(year: int) -> datetime.date:
    """The first day off of the block of days off that contains lunar new year's day.

    The holiday often starts before new year's day (2026: Feb 15, new year Feb 17). When new
    year's day is a working day (only in a year whose holidays are not entered yet), it is
    new year's day itself.
    """
    start = spring_festival(year)
    if is_workday(start):
        return start
    while not is_workday(start - ONE_DAY):
        start -= ONE_DAY
    return start


def before_spring_festival(year: int) -> datetime.date:
    """年前: the last working day before the Spring Festival holiday of `year`.

    2025: Jan 27 (holiday Jan 28 - Feb 4); 2026: Feb 14, a swapped working Saturday
    (holiday Feb 15 - 23).
    """
    return previous_workday(spring_festival_holiday_start(year) - ONE_DAY)


def month_end_deadline(year: int, month: int) -> datetime.date:
    """The last working day of the month."""
    last = std_calendar.monthrange(year, month)[1]
    return previous_workday(datetime.date(year, month, last))


def quarter_end_deadline(year: int, quarter: int) -> datetime.date:
    """The last working day of the quarter (1-4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    return month_end_deadline(year, quarter * 3)


def nth_working_day_of_next_month(d: datetime.date, n: int) -> datetime.date:
    """The n-th working day (n >= 1) of the month after d's month (e.g. 次月第5个工作日).

    Raises ValueError when that month has fewer than n working days.
    """
    d = _check_date(d)
    if n < 1:
        raise ValueError("n must be at least 1")
    first = (d.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    result = add_working_days(first - ONE_DAY, n)
    if (result.year, result.month) != (first.year, first.month):
        raise ValueError(f"{first:%Y-%m} has fewer than {n} working days")
    return result


def quarter_of(d: datetime.date) -> int:
    return (d.month - 1) // 3 + 1
