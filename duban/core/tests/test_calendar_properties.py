"""Properties of the calendar that must hold for every date (hypothesis).

Dates range over 2004-2028: package years, and 2027-2028 which fall back to weekends only.
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.core import calendar

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dates = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2028, 12, 31))
steps = st.integers(min_value=-300, max_value=300)


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@HYPOTHESIS
@given(d=dates, n=steps.filter(lambda n: n != 0))
def test_adding_then_counting_round_trips(d, n):
    """working_days_between(d, add_working_days(d, n)) == n for every n != 0."""
    assert calendar.working_days_between(d, calendar.add_working_days(d, n)) == n


@HYPOTHESIS
@given(a=dates, b=dates)
def test_counting_then_adding_lands_on_any_working_day(a, b):
    """For a working day b: add_working_days(a, working_days_between(a, b)) == b."""
    b = calendar.next_workday(b)
    assert calendar.add_working_days(a, calendar.working_days_between(a, b)) == b


@HYPOTHESIS
@given(a=dates, b=dates)
def test_counting_is_additive_over_a_midpoint(a, b):
    """Counts over (a, m] and (m, b] add up to (a, b] for a <= m <= b."""
    a, b = min(a, b), max(a, b)
    m = a + (b - a) / 2
    assert calendar.working_days_between(a, m) + calendar.working_days_between(m, b) == (
        calendar.working_days_between(a, b)
    )


@HYPOTHESIS
@given(d=dates, n=steps)
def test_results_are_working_days_and_next_workday_is_idempotent(d, n):
    result = calendar.add_working_days(d, n)
    assert calendar.is_workday(result)
    nxt = calendar.next_workday(d)
    assert calendar.next_workday(nxt) == nxt
    assert nxt >= d and calendar.previous_workday(d) <= d
    assert all(not calendar.is_workday(d + datetime.timedelta(days=i)) for i in range((nxt - d).days))


@HYPOTHESIS
@given(d=dates, n=st.integers(min_value=1, max_value=15))
def test_deadlines_never_land_on_a_day_off(d, n):
    """Month end, quarter end, 年前 and the n-th working day of next month are working days."""
    computed = [
        calendar.month_end_deadline(d.year, d.month),
        calendar.quarter_end_deadline(d.year, calendar.quarter_of(d)),
        calendar.before_spring_festival(d.year),
        calendar.nth_working_day_of_next_month(d, n),
    ]
    assert all(calendar.is_workday(x) for x in computed)
    month_end = computed[0]
    assert month_end.month == d.month
    assert all(not calendar.is_workday(x) for x in _after(month_end, until_month_end=True))


def _after(d, until_month_end):
    x = d + datetime.timedelta(days=1)
    while x.month == d.month:
        yield x
        x += datetime.timedelta(days=1)


@HYPOTHESIS
@given(year=st.integers(min_value=2004, max_value=2028))
def test_before_spring_festival_is_followed_only_by_days_off_until_new_year(year):
    """Between 年前 and lunar new year's day there is no working day (unknown years: at most
    new year's day itself when it falls on a weekday)."""
    eve = calendar.before_spring_festival(year)
    new_year = calendar.spring_festival(year)
    assert eve < new_year
    between = [eve + datetime.timedelta(days=i) for i in range(1, (new_year - eve).days)]
    assert not any(calendar.is_workday(x) for x in between)
