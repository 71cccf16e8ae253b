"""Targets, plans, completion rates and the time-progress light of one indicator's figure.

Exact definitions and a worked example: docs/indicators.md, "Targets and completion".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from duban.core import calendar
from duban.core.lights import Light, progress_light

from .choices import IndicatorKind
from .models import Indicator
from .periods import Period

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TWELVE = Decimal(12)


def due_date(indicator: Indicator, period: Period) -> datetime.date:
    """The n-th working day of the month after the period (次月第n个工作日)."""
    return calendar.nth_working_day_of_next_month(period.end, indicator.due_working_day)


def completion_rate(
    actual: Decimal | None, target: Decimal | None, *, lower_is_better: bool
) -> Decimal | None:
    """actual / target x 100; for lower-is-better target / actual x 100 (reaching the cap = 100).

    None when it has no meaning: no actual, no positive target, or (lower-is-better) an actual
    of zero or below. Rounded half-up to two decimals.
    """
    if actual is None or target is None or target <= 0:
        return None
    if lower_is_better:
        if actual <= 0:
            return None
        rate = target / actual * HUNDRED
    else:
        rate = actual / target * HUNDRED
    return rate.quantize(CENT, rounding=ROUND_HALF_UP)


def derived_plan(indicator: Indicator, period: Period, annual: Decimal | None) -> Decimal | None:
    """The period plan from time progress when none was entered.

    A cumulative absolute figure (year to date): annual x months elapsed / 12. Every other
    figure (a rate, a ratio, a level such as PM2.5 or a per-period amount) is held to the annual
    target itself: splitting a level by months would be meaningless, so a seasonal per-period
    plan is entered by hand.
    """
    if annual is None:
        return None
    if indicator.kind != IndicatorKind.ABSOLUTE or not indicator.cumulative:
        return annual
    return (annual * Decimal(period.month) / TWELVE).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Progress:
    target: Decimal | None  # the annual target
    plan: Decimal | None  # the period plan (entered, else derived)
    actual: Decimal | None
    completion: Decimal | None  # actual against the annual target (%)
    plan_completion: Decimal | None  # actual against the period plan (%)
    light: Light

    @property
    def behind(self) -> bool:
        """Behind time progress (时间过半、任务未过半): the light is red or yellow."""
        return self.light.colour in ("red", "yellow")


def progress_of(
    indicator: Indicator, period: Period, actual: Decimal | None, annual: Decimal | None, plan: Decimal | None
) -> Progress:
    """Completion and light, judged as of the period's last day (the date the figure stands for).

    A cumulative absolute higher-is-better figure is judged against the annual target over the
    year (core.lights time progress); every other figure against its period plan at the
    period's end, so a plan completion below 100% is yellow up to 10 points short, then red.
    """
    lower = indicator.lower_is_better
    plan = plan if plan is not None else derived_plan(indicator, period, annual)
    completion = completion_rate(actual, annual, lower_is_better=lower)
    plan_completion = completion_rate(actual, plan, lower_is_better=lower)
    if actual is None:
        light = Light("grey", "未报送")
    elif indicator.kind == IndicatorKind.ABSOLUTE and indicator.cumulative and not lower:
        light = progress_light(
            annual, actual, period.year_start, datetime.date(period.year, 12, 31), period.end
        )
    elif plan_completion is None:
        light = progress_light(None, None, period.start, period.end, period.end)
    else:
        light = progress_light(HUNDRED, plan_completion, period.start, period.end, period.end)
    return Progress(annual, plan, actual, completion, plan_completion, light)
