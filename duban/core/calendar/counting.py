"""Counting working days. Every definition here is documented in docs/calendar.md.

- `next_workday(d)`: d itself if it is a working day, else the first working day after it.
- `previous_workday(d)`: d itself if it is a working day, else the last working day before it.
- `add_working_days(d, n)`: n > 0, the n-th working day strictly after d; n < 0, the |n|-th
  working day strictly before d; n == 0, `next_workday(d)`.
- `working_days_between(a, b)`: the working days passed when moving from a to b, excluding the
  start a and including the end b: the count in (a, b] when a <= b, minus the count in [b, a)
  when b < a.

So for every date d and every n != 0, working_days_between(d, add_working_days(d, n)) == n,
and for every working day b, add_working_days(a, working_days_between(a, b)) == b.
"""

from __future__ import annotations

import datetime

from .days import _check_date, is_workday

ONE_DAY = datetime.timedelta(days=1)


def next_workday(d: datetime.date) -> datetime.date:
    d = _check_date(d)
    while not is_workday(d):
        d += ONE_DAY
    return d


def previous_workday(d: datetime.date) -> datetime.date:
    d = _check_date(d)
    while not is_workday(d):
        d -= ONE_DAY
    return d


def add_working_days(d: datetime.date, n: int) -> datetime.date:
    d = _check_date(d)
    if n == 0:
        return next_workday(d)
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if is_workday(d):
            remaining -= 1
    return d


def _count(first: datetime.date, last: datetime.date) -> int:
    """Working days in the closed range [first, last]."""
    count = 0
    d = first
    while d <= last:
        count += is_workday(d)
        d += ONE_DAY
    return count


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    a, b = _check_date(a), _check_date(b)
    if a <= b:
        return _count(a + ONE_DAY, b)
    return -_count(b, a - ONE_DAY)
