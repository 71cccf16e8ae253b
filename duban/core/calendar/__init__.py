"""China's working-day calendar: the one place that says whether a day is a working day.

Dates only (never datetimes). Definitions in docs/calendar.md; the writes (administrator
adjustments) are in `duban.core.calendar.services`.
"""

from .counting import add_working_days, next_workday, previous_workday, working_days_between
from .days import DayInfo, DayKind, clear_cache, day_info, is_workday, package_knows, year_is_known
from .deadlines import (
    before_spring_festival,
    month_end_deadline,
    nth_working_day_of_next_month,
    quarter_end_deadline,
    quarter_of,
    spring_festival,
    spring_festival_holiday_start,
)

__all__ = [
    "DayInfo",
    "DayKind",
    "add_working_days",
    "before_spring_festival",
    "clear_cache",
    "day_info",
    "is_workday",
    "month_end_deadline",
    "next_workday",
    "nth_working_day_of_next_month",
    "package_knows",
    "previous_workday",
    "quarter_end_deadline",
    "quarter_of",
    "spring_festival",
    "spring_festival_holiday_start",
    "working_days_between",
    "year_is_known",
]
