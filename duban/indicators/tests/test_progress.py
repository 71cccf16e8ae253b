"""Completion rates, derived plans and the time-progress light (docs/indicators.md, worked example)."""

from decimal import Decimal

import pytest

from duban.indicators.choices import Direction, Frequency, IndicatorKind
from duban.indicators.models import Indicator
from duban.indicators.periods import Period
from duban.indicators.progress import completion_rate, derived_plan, progress_of


def indicator(**fields):
    base = {
        "kind": IndicatorKind.ABSOLUTE,
        "direction": Direction.HIGHER,
        "frequency": Frequency.MONTHLY,
        "cumulative": True,
    }
    return Indicator(**{**base, **fields})


def test_completion_is_actual_over_target_and_the_inverse_when_lower_is_better():
    assert completion_rate(Decimal(45), Decimal(100), lower_is_better=False) == Decimal("45.00")
    # energy use 0.52 against a cap of 0.48: 92.31% done; at or under the cap: 100% or more
    assert completion_rate(Decimal("0.52"), Decimal("0.48"), lower_is_better=True) == Decimal("92.31")
    assert completion_rate(Decimal("0.40"), Decimal("0.48"), lower_is_better=True) == Decimal("120.00")
    assert completion_rate(Decimal(0), Decimal("0.48"), lower_is_better=True) is None
    assert completion_rate(Decimal(5), None, lower_is_better=False) is None
    assert completion_rate(Decimal(5), Decimal(0), lower_is_better=False) is None


def test_plans_follow_time_progress_unless_entered():
    march = Period(2026, 3)
    assert derived_plan(indicator(), march, Decimal(120)) == Decimal(30)
    assert derived_plan(indicator(cumulative=False), march, Decimal(120)) == Decimal(120)  # a level
    assert derived_plan(indicator(kind=IndicatorKind.GROWTH_RATE), march, Decimal("7.5")) == Decimal("7.5")


@pytest.mark.parametrize(
    ("actual", "colour", "behind"),
    [
        (Decimal(38), "red", True),
        (Decimal(45), "yellow", True),
        (Decimal("60.6"), "green", False),
        (Decimal(100), "blue", False),
    ],
)
def test_a_cumulative_figure_is_judged_against_time_progress_at_the_period_end(actual, colour, behind):
    """June 2026: 181/365 = 49.6% of the year elapsed (docs/status-lights.md worked example)."""
    progress = progress_of(indicator(), Period(2026, 6), actual, Decimal(100), None)
    assert progress.light.colour == colour and progress.behind is behind
    assert progress.completion == (actual / Decimal(100) * 100).quantize(Decimal("0.01"))


def test_a_rate_is_judged_against_its_plan_at_the_period_end():
    rate = indicator(kind=IndicatorKind.GROWTH_RATE, cumulative=False)
    assert progress_of(rate, Period(2026, 6), Decimal("7.0"), Decimal("7.5"), None).light.colour == "yellow"
    assert progress_of(rate, Period(2026, 6), Decimal("6.0"), Decimal("7.5"), None).light.colour == "red"
    assert progress_of(rate, Period(2026, 6), Decimal("8.0"), Decimal("7.5"), None).light.colour == "blue"
    assert progress_of(rate, Period(2026, 6), None, Decimal("7.5"), None).light.colour == "grey"


def test_a_lower_is_better_level_under_its_cap_is_done():
    """PM2.5 35.15 against a cap of 38: 108.1%, blue (the cap is not split by months)."""
    pm25 = indicator(direction=Direction.LOWER, cumulative=False)
    progress = progress_of(pm25, Period(2026, 10), Decimal("35.15"), Decimal(38), None)
    assert progress.light.colour == "blue" and progress.completion == Decimal("108.11")
    assert progress_of(pm25, Period(2026, 10), Decimal(45), Decimal(38), None).light.colour == "red"
