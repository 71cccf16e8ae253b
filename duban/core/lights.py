"""Status lights (亮灯): the one place that turns dates and progress into a colour and a reason.

Two families (exact rules in docs/status-lights.md):
- deadline lights: `deadline_light(due, done, today, start=...)`;
- progress lights: `progress_light(target, actual, period_start, period_end, today)`.

Colours, worst first: red > yellow > green > grey (not started) > blue (done); `Light.severity`
orders them for sorting. Thresholds come from settings.DUBAN_LIGHTS. Working days are counted
only through duban.core.calendar; figures are Decimal, never float.

For lists, `deadline_light_case(...)` classifies deadlines inside the database with the same
rule (the threshold dates are computed here, in Python, through the calendar).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.lookups import GreaterThan, IsNull, LessThan
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import calendar

RED, YELLOW, GREEN, GREY, BLUE = "red", "yellow", "green", "grey", "blue"
# Worst first; the number is the stable sort key (higher = needs attention sooner).
SEVERITY = {RED: 4, YELLOW: 3, GREEN: 2, GREY: 1, BLUE: 0}
COLOUR_LABELS = {
    RED: gettext_lazy("红灯"),
    YELLOW: gettext_lazy("黄灯"),
    GREEN: gettext_lazy("绿灯"),
    GREY: gettext_lazy("未开始"),
    BLUE: gettext_lazy("已完成"),
}
DEFAULTS: dict[str, Any] = {"yellow_working_days": 3, "yellow_lag_percent": 10}
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def thresholds() -> dict[str, Any]:
    """The deployment's thresholds (settings.DUBAN_LIGHTS) over the defaults."""
    return {**DEFAULTS, **getattr(settings, "DUBAN_LIGHTS", {})}


@dataclass(frozen=True)
class Light:
    colour: str
    reason: str
    working_days: int | None = None  # deadline lights: remaining (>= 0) or overdue (> 0 when red)
    lag_percent: Decimal | None = None  # progress lights: points behind (+) or ahead (-) of time
    late: bool = False  # blue only: finished after the deadline

    @property
    def severity(self) -> int:
        return SEVERITY[self.colour]

    @property
    def label(self) -> str:
        return str(COLOUR_LABELS[self.colour])

    def __str__(self) -> str:
        return self.reason

    def badge(self) -> SafeString:
        """The coloured badge with its reason: `{{ light.badge }}` or `{{ light|light_badge }}`."""
        return format_html('<span class="light light-{}">{}</span>', self.colour, self.reason)


def percent_text(value: Decimal) -> str:
    """12.0 -> "12", 12.5 -> "12.5" (one decimal at most)."""
    text = f"{value.quantize(TENTH, rounding=ROUND_HALF_UP):f}"
    return text[:-2] if text.endswith(".0") else text


# --- deadline lights --------------------------------------------------------------------------


def deadline_light(
    due: datetime.date | None,
    done: datetime.date | None = None,
    today: datetime.date | None = None,
    *,
    start: datetime.date | None = None,
    yellow_working_days: int | None = None,
) -> Light:
    """The light of something due on `due`, finished on `done` (or not), seen on `today`.

    blue: done (late=True when done after due); grey: start in the future, or no due date;
    red: today is after due; yellow: at most N working days left (today itself not counted,
    the due date counted); green: more.
    """
    today = today or timezone.localdate()
    n = thresholds()["yellow_working_days"] if yellow_working_days is None else yellow_working_days
    if done is not None:
        if due is not None and done > due:
            late_days = calendar.working_days_between(due, done)
            reason = (
                _("已完成（逾期%(n)d个工作日）") % {"n": late_days}
                if late_days
                else _("已完成（超过截止日）")
            )
            return Light(BLUE, reason, working_days=late_days, late=True)
        return Light(BLUE, _("已完成"))
    if start is not None and start > today:
        return Light(GREY, _("未开始"))
    if due is None:
        return Light(GREY, _("未设定截止日期"))
    if today > due:
        overdue = calendar.working_days_between(due, today)
        reason = _("逾期%(n)d个工作日") % {"n": overdue} if overdue else _("已逾期")
        return Light(RED, reason, working_days=overdue)
    remaining = calendar.working_days_between(today, due)
    if today == due:
        reason = _("今天截止")
    elif remaining == 0:
        reason = _("截止前已无工作日")
    else:
        reason = _("距截止还有%(n)d个工作日") % {"n": remaining}
    return Light(YELLOW if remaining <= n else GREEN, reason, working_days=remaining)


def _expr(value: str | Combinable) -> Combinable:
    return F(value) if isinstance(value, str) else value


def deadline_light_case(
    due: str | Combinable,
    *,
    done: str | Combinable | None = None,
    start: str | Combinable | None = None,
    today: datetime.date | None = None,
    yellow_working_days: int | None = None,
) -> Case:
    """The colour code of `deadline_light`, computed by the database, for annotate/filter/count.

    `due`, `done`, `start` are field names (or expressions) of date columns. Yellow means
    "due before the (N+1)-th working day after today", the same as "at most N working days
    left"; that date is computed here through the calendar, so SQL only compares dates.
    """
    today = today or timezone.localdate()
    n = thresholds()["yellow_working_days"] if yellow_working_days is None else yellow_working_days
    green_from = calendar.add_working_days(today, n + 1)
    due_expr = _expr(due)
    whens = []
    if done is not None:
        whens.append(When(IsNull(_expr(done), False), then=Value(BLUE)))
    if start is not None:
        whens.append(When(GreaterThan(_expr(start), Value(today)), then=Value(GREY)))
    whens += [
        When(IsNull(due_expr, True), then=Value(GREY)),
        When(LessThan(due_expr, Value(today)), then=Value(RED)),
        When(LessThan(due_expr, Value(green_from)), then=Value(YELLOW)),
    ]
    return Case(*whens, default=Value(GREEN), output_field=CharField())


def severity_case(colour_field: str) -> Case:
    """An integer sort key for an annotated colour code: order_by(severity_case("light").desc())."""
    whens = [When(**{colour_field: colour}, then=Value(rank)) for colour, rank in SEVERITY.items()]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


# --- progress lights --------------------------------------------------------------------------


def time_progress(start: datetime.date, end: datetime.date, today: datetime.date) -> Decimal:
    """The elapsed share of the period [start, end], counting calendar days, both ends included.

    0 before the period, 1 from its last day on; e.g. Jan 1 - Dec 31 2026 on Jun 30: 181/365.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


def progress_light(
    target: Decimal | None,
    actual: Decimal | None,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date | None = None,
    *,
    yellow_lag_percent: Decimal | int | None = None,
) -> Light:
    """The light of a cumulative figure against its target over a period.

    Higher is better: a lower-is-better figure (a cap, a reduction) is turned into a
    higher-is-better one by the caller (see docs/status-lights.md).
    blue: actual >= target; grey: no positive target, or the period has not started;
    red: the period is over and the target missed, or the lag exceeds X points;
    yellow: lag in (0, X]; green: no lag. Lag = time progress - completion rate, in points,
    rounded to one decimal (the figure shown is the figure judged).
    """
    today = today or timezone.localdate()
    limit = Decimal(thresholds()["yellow_lag_percent"] if yellow_lag_percent is None else yellow_lag_percent)
    actual = Decimal(actual or 0)
    if target is None or Decimal(target) <= 0:
        return Light(GREY, _("未设定目标"))
    target = Decimal(target)
    completion = actual / target * HUNDRED
    if actual >= target:
        return Light(BLUE, _("已完成"), lag_percent=Decimal(0))
    if today < period_start:
        return Light(GREY, _("未开始"))
    if today > period_end:
        return Light(
            RED,
            _("期末未完成（完成率%(c)s%%）") % {"c": percent_text(completion)},
            lag_percent=(HUNDRED - completion).quantize(TENTH, rounding=ROUND_HALF_UP),
        )
    lag = (time_progress(period_start, period_end, today) * HUNDRED - completion).quantize(
        TENTH, rounding=ROUND_HALF_UP
    )
    if lag > limit:
        return Light(RED, _("进度落后时序%(p)s%%") % {"p": percent_text(lag)}, lag_percent=lag)
    if lag > 0:
        return Light(YELLOW, _("进度落后时序%(p)s%%") % {"p": percent_text(lag)}, lag_percent=lag)
    if lag == 0:
        return Light(GREEN, _("进度与时序同步"), lag_percent=lag)
    return Light(GREEN, _("进度快于时序%(p)s%%") % {"p": percent_text(-lag)}, lag_percent=lag)
