"""The working-day calendar: known official dates, the counting rules, 年前, deadlines, 2027."""

import datetime

import pytest

from duban.core import calendar
from duban.core.calendar import services
from duban.core.calendar.days import DayKind

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += datetime.timedelta(days=1)


def test_national_day_week_2025_is_off_and_the_swapped_weekend_days_work():
    """2025: Oct 1-8 off (National Day with Mid-autumn); Sun Sep 28 and Sat Oct 11 are working days."""
    assert not any(calendar.is_workday(d) for d in days(D(2025, 10, 1), D(2025, 10, 8)))
    assert calendar.is_workday(D(2025, 9, 28))  # Sunday
    assert calendar.is_workday(D(2025, 10, 11))  # Saturday
    assert calendar.is_workday(D(2025, 9, 30)) and calendar.is_workday(D(2025, 10, 9))
    assert calendar.day_info(D(2025, 10, 1)).name == "国庆节"
    assert calendar.day_info(D(2025, 10, 11)).kind == DayKind.SWAPPED


def test_spring_festival_2025_and_2026_from_the_package():
    """2025: Jan 28 - Feb 4 off, Sun Jan 26 and Sat Feb 8 work; 2026: Feb 15-23 off, Sat Feb 14 and Feb 28 work."""
    assert not any(calendar.is_workday(d) for d in days(D(2025, 1, 28), D(2025, 2, 4)))
    assert calendar.is_workday(D(2025, 1, 26)) and calendar.is_workday(D(2025, 2, 8))
    assert calendar.is_workday(D(2025, 1, 27)) and calendar.is_workday(D(2025, 2, 5))
    assert not any(calendar.is_workday(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
    assert calendar.is_workday(D(2026, 2, 14)) and calendar.is_workday(D(2026, 2, 28))
    assert calendar.day_info(D(2026, 2, 17)).kind == DayKind.HOLIDAY


def test_lunar_new_year_and_before_spring_festival():
    """年前 is the last working day before the holiday block holding lunar new year's day."""
    assert calendar.spring_festival(2025) == D(2025, 1, 29)
    assert calendar.spring_festival(2026) == D(2026, 2, 17)
    assert calendar.spring_festival(2027) == D(2027, 2, 6)
    assert calendar.before_spring_festival(2024) == D(2024, 2, 9)
    assert calendar.before_spring_festival(2025) == D(2025, 1, 27)
    # The 2026 holiday starts two days before new year's day; 年前 is the swapped Saturday.
    assert calendar.spring_festival_holiday_start(2026) == D(2026, 2, 15)
    assert calendar.before_spring_festival(2026) == D(2026, 2, 14)


def test_add_working_days_steps_over_holidays_and_swapped_days():
    """n > 0 counts working days after d, n < 0 before d, n == 0 is next_workday(d)."""
    assert calendar.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert calendar.add_working_days(D(2025, 10, 9), 2) == D(2025, 10, 11)  # Saturday swapped
    assert calendar.add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert calendar.add_working_days(D(2025, 10, 5), -1) == D(2025, 9, 30)
    assert calendar.add_working_days(D(2025, 10, 5), 0) == D(2025, 10, 9)
    assert calendar.add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)


def test_working_days_between_excludes_the_start_and_includes_the_end():
    assert calendar.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert calendar.working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == -1
    assert calendar.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert calendar.working_days_between(D(2026, 11, 27), D(2026, 11, 27)) == 0
    # Friday to Monday: one working day (Monday); Monday back to Friday: minus one (Friday).
    assert calendar.working_days_between(D(2026, 11, 27), D(2026, 11, 30)) == 1
    assert calendar.working_days_between(D(2026, 11, 30), D(2026, 11, 27)) == -1


def test_month_and_quarter_deadlines_and_the_nth_working_day_of_next_month():
    assert calendar.month_end_deadline(2026, 1) == D(2026, 1, 30)  # Jan 31 is a Saturday
    assert calendar.month_end_deadline(2026, 2) == D(2026, 2, 28)  # a swapped working Saturday
    assert calendar.quarter_end_deadline(2025, 3) == D(2025, 9, 30)
    assert calendar.quarter_end_deadline(2026, 4) == D(2026, 12, 31)
    assert calendar.nth_working_day_of_next_month(D(2025, 9, 15), 1) == D(2025, 10, 9)
    assert calendar.nth_working_day_of_next_month(D(2025, 9, 15), 3) == D(2025, 10, 11)
    assert calendar.nth_working_day_of_next_month(D(2025, 12, 31), 1) == D(
        2026, 1, 4
    )  # Jan 1-3 off, Sunday Jan 4 swapped
    with pytest.raises(ValueError):
        calendar.nth_working_day_of_next_month(D(2025, 9, 15), 0)
    with pytest.raises(ValueError):
        calendar.nth_working_day_of_next_month(D(2025, 9, 15), 30)
    with pytest.raises(ValueError):
        calendar.quarter_end_deadline(2025, 5)


def test_datetimes_are_refused():
    with pytest.raises(TypeError):
        calendar.is_workday(datetime.datetime(2026, 1, 5, 9, 0))


def test_2027_is_weekends_only_until_an_administrator_enters_it():
    """The package stops at 2026: 2027 counts weekends only and says it is not known."""
    assert not calendar.package_knows(2027)
    assert not calendar.year_is_known(2027)
    assert calendar.is_workday(D(2027, 2, 5))  # Friday
    assert not calendar.is_workday(D(2027, 2, 6))  # Saturday, lunar new year's day
    assert calendar.before_spring_festival(2027) == D(2027, 2, 5)
    assert calendar.day_info(D(2027, 2, 8)).source == "weekend"


def test_2027_follows_the_adjustments_once_entered():
    """An administrator pastes the (here: illustrative) 2027 schedule; the calendar follows it."""
    services.import_adjustments(
        "2027-01-31,班,春节调休上班\n"
        "2027-02-05,休,春节\n2027-02-08,休,春节\n2027-02-09,休,春节\n"
        "2027-02-10,休,春节\n2027-02-11,休,春节\n2027-02-20,班,春节调休上班",
        actor=None,
        check_access=False,
    )
    assert calendar.year_is_known(2027)
    assert calendar.is_workday(D(2027, 1, 31))  # Sunday made a working day
    assert not calendar.is_workday(D(2027, 2, 5))
    assert calendar.before_spring_festival(2027) == D(2027, 2, 4)
    assert calendar.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 12)
    info = calendar.day_info(D(2027, 2, 9))
    assert (info.kind, info.name, info.source) == (DayKind.HOLIDAY, "春节", "adjustment")


def test_an_adjustment_overrides_the_package():
    """A known year can still be corrected: the adjustment wins over chinese-calendar."""
    assert calendar.is_workday(D(2026, 6, 1))
    services.add_adjustment(
        actor=None, date=D(2026, 6, 1), is_workday=False, name="防汛停工", check_access=False
    )
    assert not calendar.is_workday(D(2026, 6, 1))


def test_a_year_of_deadlines_costs_one_query_per_year(django_assert_max_num_queries):
    """Adjustments are loaded once per year touched, not once per date."""
    with django_assert_max_num_queries(2):
        results = [calendar.add_working_days(d, 5) for d in days(D(2026, 1, 1), D(2026, 12, 31))]
        results += [calendar.month_end_deadline(2026, m) for m in range(1, 13)]
    assert len(results) == 377


def test_the_cache_is_emptied_by_a_write(django_assert_num_queries):
    calendar.is_workday(D(2027, 3, 1))
    with django_assert_num_queries(0):
        calendar.is_workday(D(2027, 3, 2))
    services.add_adjustment(actor=None, date=D(2027, 3, 1), is_workday=False, name="测试", check_access=False)
    assert not calendar.is_workday(D(2027, 3, 1))


def test_the_fast_lookup_agrees_with_the_package_for_every_known_day():
    """days.py reads chinese-calendar's tables directly (speed); it must say what the package says."""
    import chinese_calendar

    mismatches = [
        d
        for d in days(D(2004, 1, 1), D(2026, 12, 31))
        if calendar.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert mismatches == []
