"""Properties of the light rules (hypothesis), and the SQL classifier agreeing with Python."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, DateField, Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.core import calendar
from duban.core.lights import deadline_light, deadline_light_case, progress_light, severity_case
from duban.core.models import WorkdayAdjustment

D = datetime.date
pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
maybe_dates = st.none() | dates
amounts = st.decimals(
    min_value=Decimal(0), max_value=Decimal(10000), places=2, allow_nan=False, allow_infinity=False
)
positive = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal(10000), places=2, allow_nan=False, allow_infinity=False
)


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@HYPOTHESIS
@given(due=dates, start=maybe_dates, a=dates, b=dates)
def test_waiting_longer_never_gives_a_better_deadline_light(due, start, a, b):
    earlier, later = min(a, b), max(a, b)
    assert (
        deadline_light(due, None, earlier, start=start).severity
        <= deadline_light(due, None, later, start=start).severity
    )


@HYPOTHESIS
@given(due=dates, today=dates, done=maybe_dates)
def test_a_deadline_light_is_red_exactly_when_open_and_past_due(due, today, done):
    light = deadline_light(due, done, today)
    assert (light.colour == "red") == (done is None and today > due)
    assert (light.colour == "blue") == (done is not None)


@HYPOTHESIS
@given(target=positive, a=amounts, b=amounts, today=dates)
def test_more_progress_never_gives_a_worse_light(target, a, b, today):
    period = (D(2026, 1, 1), D(2026, 12, 31))
    low, high = min(a, b), max(a, b)
    assert (
        progress_light(target, high, *period, today).severity
        <= progress_light(target, low, *period, today).severity
    )


@HYPOTHESIS
@given(target=positive, actual=amounts, a=dates, b=dates)
def test_more_elapsed_time_never_gives_a_better_progress_light(target, actual, a, b):
    period = (D(2026, 1, 1), D(2026, 12, 31))
    earlier, later = min(a, b), max(a, b)
    assert (
        progress_light(target, actual, *period, earlier).severity
        <= progress_light(target, actual, *period, later).severity
    )


def _date(value):
    return Value(value, output_field=DateField())


@pytest.fixture
def one_row():
    # Any table row to evaluate expressions on; a far-future date touches no tested year.
    return WorkdayAdjustment.objects.create(date=D(2099, 1, 1), is_workday=True, name="测试行")


offsets = st.none() | st.integers(min_value=-12, max_value=12)


def _near(today, offset):
    return None if offset is None else today + datetime.timedelta(days=offset)


@HYPOTHESIS
@given(today=dates, cases=st.lists(st.tuples(offsets, offsets, offsets), min_size=1, max_size=25))
def test_the_database_classifies_deadlines_exactly_like_python(one_row, today, cases):
    """One query evaluates every case; each SQL colour equals deadline_light(...).colour.

    Dates are drawn near `today`, where the yellow boundary lies.
    """
    cases = [tuple(_near(today, x) for x in case) for case in cases]
    annotations = {
        f"c{i}": deadline_light_case(_date(due), done=_date(done), start=_date(start), today=today)
        for i, (due, done, start) in enumerate(cases)
    }
    row = WorkdayAdjustment.objects.filter(pk=one_row.pk).annotate(**annotations).values(*annotations).get()
    for i, (due, done, start) in enumerate(cases):
        assert row[f"c{i}"] == deadline_light(due, done, today, start=start).colour, (due, done, start, today)


def test_lists_filter_and_count_by_light_in_one_query(django_assert_num_queries):
    """Real date columns: count rows per colour and order worst first, one query each."""
    today = D(2099, 3, 10)
    for offset in range(-6, 12):
        day = today + datetime.timedelta(days=offset)
        WorkdayAdjustment.objects.create(date=day, is_workday=day.weekday() < 5, name=f"行{offset}")
    calendar.clear_cache()
    expected: dict[str, int] = {}
    for day in WorkdayAdjustment.objects.values_list("date", flat=True):
        colour = deadline_light(day, None, today).colour
        expected[colour] = expected.get(colour, 0) + 1

    calendar.clear_cache()
    with django_assert_num_queries(2):  # the year's adjustments once, then the count
        counts = dict(
            WorkdayAdjustment.objects.annotate(light=deadline_light_case("date", today=today))
            .values("light")
            .annotate(n=Count("id"))
            .values_list("light", "n")
        )
    assert counts == expected and set(counts) == {"red", "yellow", "green"}

    worst_first = list(
        WorkdayAdjustment.objects.annotate(light=deadline_light_case("date", today=today))
        .order_by(severity_case("light").desc(), "date")
        .values_list("light", flat=True)
    )
    assert worst_first == sorted(worst_first, key=["red", "yellow", "green"].index)
