"""Which days are working days: the official calendar, overridden by administrator adjustments.

Sources, strongest first:
1. a `WorkdayAdjustment` row for the date (entered by a system administrator);
2. the `chinese-calendar` package (public holidays and swapped working days, 2004-2026 in the
   installed version; it raises NotImplementedError beyond);
3. weekends only (Monday-Friday work) for a year neither knows.

A year counts as *known* when the package covers it or an administrator has entered at least
one adjustment in it; pages warn when it is not (`year_is_known`).

Adjustments are read once per year and kept in a small process cache, so a page computing
hundreds of deadlines runs one query per year it touches. The cache is emptied at the start
of every request, whenever an adjustment is written in this process, and after
`CACHE_SECONDS` (for background workers, which see no requests).
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.core.signals import request_started
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

CACHE_SECONDS = 60

# chinese-calendar names its holidays in English; the users read Chinese.
HOLIDAY_NAMES: dict[str, StrOrPromise] = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
    "Anti-Fascist 70th Day": _("抗战胜利纪念日"),
}


class DayKind:
    """How a day is classified on the calendar page (stable codes, used as CSS classes)."""

    WORKDAY = "workday"  # an ordinary Monday-Friday working day
    WEEKEND = "weekend"  # an ordinary Saturday/Sunday off
    HOLIDAY = "holiday"  # a day off that would otherwise be a working day, or inside a holiday
    SWAPPED = "swapped"  # a Saturday/Sunday made a working day (调休上班)


@dataclass(frozen=True)
class Override:
    date: datetime.date
    is_workday: bool
    name: str


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    is_workday: bool
    kind: str
    name: str  # the holiday's name, or the adjustment's, or ""
    source: str  # "adjustment" | "package" | "weekend"


def _check_date(d: object) -> datetime.date:
    # datetime is a subclass of date: refuse it, a deadline is a date in Asia/Shanghai.
    if isinstance(d, datetime.datetime) or not isinstance(d, datetime.date):
        raise TypeError(f"a date is required, got {type(d).__name__}")
    return d


@lru_cache(maxsize=256)
def package_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has the State Council's schedule for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _package_is_workday(d: datetime.date) -> bool:
    # The package's own rule on its published tables, without its per-call range check
    # (min/max over every holiday, which made long counts slow); callers check package_knows.
    return d in chinese_calendar.workdays or (d.weekday() < 5 and d not in chinese_calendar.holidays)


class _YearCache:
    """Adjustments per year, loaded lazily, dropped on change or after CACHE_SECONDS."""

    def __init__(self) -> None:
        self._years: dict[int, tuple[float, dict[datetime.date, Override]]] = {}
        self._lock = threading.Lock()

    def get(self, year: int) -> dict[datetime.date, Override]:
        hit = self._years.get(year)
        now = time.monotonic()
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        from duban.core.models import WorkdayAdjustment

        rows = WorkdayAdjustment.objects.in_year(year).values_list("date", "is_workday", "name")
        loaded = {d: Override(d, w, n) for d, w, n in rows}
        with self._lock:
            self._years[year] = (now, loaded)
        return loaded

    def clear(self) -> None:
        with self._lock:
            self._years = {}


_cache = _YearCache()


def clear_cache(**_kwargs: object) -> None:
    """Forget the loaded adjustments; the next lookup reads them afresh."""
    _cache.clear()


request_started.connect(clear_cache, dispatch_uid="duban.core.calendar.clear_cache")


def overrides(year: int) -> dict[datetime.date, Override]:
    return _cache.get(year)


def year_is_known(year: int) -> bool:
    """True when the year's holidays come from the package or from entered adjustments.

    False means the calendar falls back to weekends only for that year, and pages should
    say so ("2027年节假日安排尚未录入，按周末计算").
    """
    return package_knows(year) or bool(overrides(year))


def is_workday(d: datetime.date) -> bool:
    d = _check_date(d)
    found = overrides(d.year).get(d)
    if found is not None:
        return found.is_workday
    if package_knows(d.year):
        return _package_is_workday(d)
    return d.weekday() < 5


def day_info(d: datetime.date) -> DayInfo:
    """The day's status with its name and where the answer came from (for calendar pages)."""
    d = _check_date(d)
    weekend = d.weekday() >= 5
    found = overrides(d.year).get(d)
    if found is not None:
        workday, name, source = found.is_workday, found.name, "adjustment"
    elif package_knows(d.year):
        workday = _package_is_workday(d)
        _on_holiday, english = chinese_calendar.get_holiday_detail(d)
        name, source = str(HOLIDAY_NAMES.get(english, english or "")), "package"
    else:
        workday, name, source = not weekend, "", "weekend"
    if workday:
        kind = DayKind.SWAPPED if weekend else DayKind.WORKDAY
    else:
        kind = DayKind.WEEKEND if weekend and not name else DayKind.HOLIDAY
    if kind == DayKind.WORKDAY:
        name = ""  # the package names the eve of some holidays; only days off and swaps carry names
    return DayInfo(d, workday, kind, name, source)
