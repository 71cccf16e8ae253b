"""Demo data: ~40 indicators of the demo county, two years of figures for the city's 11 counties.

Registered with the org demo builder (`duban demo`). Deterministic for a seed (one draw from
ctx.rng seeds a local generator), idempotent (indicators by code, figures by indicator,
county and period, the look-back by title) and written through the services: the catalogue
and targets by the office, the peers' figures as one bulletin import per month by the
statistics bureau, the demo county's own figures through the reporting workflow (entered,
submitted, approved, verified), so the audit trail holds them all.

Scenario as of 2026-11-28: October (Q3 for quarterly figures) is the latest period; three
reports are missing (late), one is a draft, one awaits approval, two past figures were
corrected, the demo county lags on five indicators, and a look-back over them is under way
with two plans submitted. Figures up to June 2026 are history from the city's bulletins (the
demo county's included, `include_home`); from July the demo county reports through the
workflow. Submission and approval times of the demo county's reports are
backdated (a plain update of the demo rows: the services stamp "now") to fall before each
period's due date, except two reports submitted late.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.models import User
from duban.core import calendar

from . import demo_data as spec
from .choices import LookBackStatus
from .models import Indicator, IndicatorValue, LookBack
from .periods import Period, latest_closed, periods_of_year
from .progress import due_date
from .services import (
    approve_value,
    correct_value,
    create_indicator,
    enter_value,
    set_annual_target,
    submit_value,
    verify_value,
)
from .services.bulletin import import_bulletin
from .services.lookback import launch_look_back, submit_look_back_plan

DEMO_TODAY = datetime.date(2026, 11, 28)
YEARS = (2025, 2026)
CENT = Decimal("0.01")
MISSING = {"YLTS", "XSLS_ZS", "TDGY"}  # the latest report not in
DRAFT, SUBMITTED = "GYYD_ZS", "FDC_ZS"
CORRECTED = {("YBYS", 202609), ("ZSDW", 202608)}
LATE = {"SXLS", "CZJY"}  # the latest report came in after its due date
LOOK_BACK_TITLE = "2026年三季度位次靠后指标回头看"
# Figures up to June 2026 are history loaded from the city's bulletins at go-live (the demo
# county's too); from July on the demo county reports through the workflow.
HISTORY_END = 202606
SEASON = {1: Decimal("1.3"), 2: Decimal("1.25"), 3: Decimal("1.1"), 11: Decimal("1.1"), 12: Decimal("1.3")}


class Figures:
    """The invented figures: a size per county, a strength per indicator and county, noise per period."""

    def __init__(self, rng: random.Random, counties: int):
        self.rng = rng
        self.size = [Decimal(str(round(0.6 + 0.8 * rng.random(), 3))) for _ in range(counties)]
        self.size[0] = Decimal("1.2")  # the demo county is among the larger ones
        self.strength: dict[tuple[str, int], Decimal] = {}
        for row in spec.INDICATORS:
            for c in range(counties):
                own = Decimal("-0.9") if row[0] in spec.LAGGING else Decimal("0.6")
                drawn = Decimal(str(round(rng.uniform(-1, 1), 3)))
                self.strength[(row[0], c)] = own if c == 0 else drawn

    def value(self, row, c: int, period: Period) -> Decimal:
        code, _n, _g, _u, kind, direction, _f, cumulative, _o, _w, target = row
        target = Decimal(target)
        s = self.strength[(code, c)] + Decimal(str(round(self.rng.uniform(-0.3, 0.3), 3)))
        sign = Decimal(-1) if direction == "lower" else Decimal(1)
        year_factor = {2024: Decimal("0.89"), 2025: Decimal("0.94"), 2026: Decimal(1)}[period.year]
        if kind == "absolute" and cumulative:
            annual = (
                target
                * self.size[c]
                / self.size[0]
                * year_factor
                * (1 + Decimal("0.1") * self.strength[(code, c)])
            )
            value = annual * Decimal(period.month) / 12
        elif kind == "absolute" and direction == "lower":
            value = target * (1 - Decimal("0.12") * s) * SEASON.get(period.month, Decimal("0.85"))
        elif kind == "absolute":
            value = target * self.size[c] / self.size[0] * year_factor * (1 + Decimal("0.05") * s)
        else:
            spread = max(Decimal("0.8"), abs(target) * Decimal("0.06"))
            value = target + sign * spread * s
            if kind == "ratio":
                value = min(value, Decimal("99.5"))  # a share stays below 100%
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _latest(frequency: str) -> Period:
    return latest_closed(frequency, DEMO_TODAY)


def _series(row, figures: Figures, counties: int) -> dict[tuple[int, int], Decimal]:
    """{(county index, period key)}: 2024 (for last year's rates) to the latest period."""
    frequency = row[6]
    end = _latest(frequency)
    values = {}
    for year in (2024, *YEARS):
        for period in periods_of_year(year, frequency):
            if period.key <= end.key:
                for c in range(counties):
                    values[(c, period.key)] = figures.value(row, c, period)
    return values


def _people(ctx):
    for slug in spec.EXTRA_ACCOUNT_UNITS:
        unit = ctx.units[slug]
        ctx.add_account(f"{slug}_head", Role.UNIT_HEAD, unit=unit, title="局长")
        ctx.add_account(f"{slug}_liaison", Role.UNIT_LIAISON, unit=unit, title="办公室主任")
    users = {u.username: u for u in User.objects.filter(username__regex=r"_(head|liaison)$|^office1$")}
    return users


def _catalogue(ctx, office) -> dict[str, Indicator]:
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[r[0] for r in spec.INDICATORS])}
    result = {}
    for order, row in enumerate(spec.INDICATORS):
        code, name, group, uom, kind, direction, frequency, cumulative, owner, weight, target = row
        indicator = existing.get(code)
        if indicator is None:
            unit = ctx.units[owner]
            bounded = uom == "%" and kind == "ratio"
            indicator = create_indicator(
                actor=office,
                county=ctx.county,
                owner_unit=unit,
                code=code,
                name=name,
                group=group,
                unit_of_measure=uom,
                kind=kind,
                direction=direction,
                frequency=frequency,
                cumulative=cumulative,
                leader_in_charge=unit.leader_in_charge,
                weight=Decimal(weight),
                data_source="statistics",
                min_value=Decimal(0) if bounded else None,
                max_value=Decimal(100) if bounded else None,
                sort_order=order,
            )
        set_annual_target(
            indicator,
            actor=office,
            year=2025,
            value=(Decimal(target) * Decimal("0.95")).quantize(CENT),
            target_place=3,
        )
        set_annual_target(
            indicator, actor=office, year=2026, value=Decimal(target), target_place=4 if weight < 5 else 3
        )
        result[code] = indicator
    return result


def _bulletins(ctx, indicators, series, stats) -> None:
    """One bulletin import per month: the peers, and up to HISTORY_END the demo county too."""
    names = [c.name for c in ctx.counties]
    for year in YEARS:
        for month in range(1, 13):
            key = year * 100 + month
            rows_for = [i for code, i in indicators.items() if (1, key) in series[code]]
            if not rows_for:
                continue
            history = key <= HISTORY_END
            first = 0 if history else 1
            have = IndicatorValue.objects.filter(indicator__in=rows_for, period=key, is_official=True)
            if not history:
                have = have.exclude(county=ctx.county)
            if have.count() >= len(rows_for) * (len(names) - first):
                continue
            header = ["县(区)", *[i.code for i in rows_for]]
            body = [
                [names[c], *[series[i.code][(c, key)] for i in rows_for]] for c in range(first, len(names))
            ]
            import_bulletin(
                actor=stats,
                county=ctx.county,
                period_text=f"{year}-{month:02d}",
                rows=[header, *body],
                include_home=history,
            )


def _report(indicator, period, series, people, today) -> IndicatorValue | None:
    code = indicator.code
    liaison, head = (
        people[f"{indicator.owner_unit.code.split('-')[-1]}_liaison"],
        people[f"{indicator.owner_unit.code.split('-')[-1]}_head"],
    )
    latest = period == _latest(indicator.frequency)
    if latest and code in MISSING:
        return None
    value = series[code][(0, period.key)]
    last_year = series[code].get((0, period.last_year().key)) if indicator.needs_last_year else None
    row = enter_value(
        indicator,
        actor=liaison,
        period=period,
        value=value,
        last_year_value=last_year,
        explanation="据统计快报数据填报",
        today=today,
    )
    if latest and code == DRAFT:
        return row
    row = submit_value(row, actor=liaison)
    if latest and code == SUBMITTED:
        return row
    return approve_value(row, actor=head)


def _own_figures(ctx, indicators, series, people, stats) -> None:
    today = timezone.localdate()
    done = set(
        IndicatorValue.objects.filter(county=ctx.county, indicator__in=indicators.values()).values_list(
            "indicator_id", "period"
        )
    )
    for code, indicator in indicators.items():
        end = _latest(indicator.frequency)
        for year in YEARS:
            for period in periods_of_year(year, indicator.frequency):
                if period.key <= HISTORY_END or period.key > end.key or (indicator.pk, period.key) in done:
                    continue
                row = _report(indicator, period, series, people, today)
                if row is None or not row.is_official:
                    continue
                if (code, period.key) in CORRECTED:
                    slug = indicator.owner_unit.code.split("-")[-1]
                    draft = correct_value(
                        row, actor=people[f"{slug}_liaison"], reason="统计局反馈口径调整，按核定数更正"
                    )
                    draft = enter_value(
                        indicator,
                        actor=people[f"{slug}_liaison"],
                        period=period,
                        value=(row.value * Decimal("1.02")).quantize(CENT),
                        explanation="按统计局核定数更正",
                        today=today,
                    )
                    row = approve_value(
                        submit_value(draft, actor=people[f"{slug}_liaison"]), actor=people[f"{slug}_head"]
                    )
                if period != end:
                    verify_value(row, actor=stats)
    _backdate(ctx, indicators)


def _backdate(ctx, indicators) -> None:
    """Submission and approval times before each due date (two latest reports late)."""
    rows = list(
        IndicatorValue.objects.filter(
            county=ctx.county, indicator__in=indicators.values(), submitted_at__isnull=False
        ).select_related("indicator")
    )
    tz = timezone.get_current_timezone()
    for row in rows:
        period = row.indicator.period(row.period)
        due = due_date(row.indicator, period)
        late = row.indicator.code in LATE and period == _latest(row.indicator.frequency)
        day = (
            calendar.add_working_days(due, 3)
            if late
            else calendar.add_working_days(due, -2 + (row.version - 1) * 10)
        )
        moment = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=tz)
        row.submitted_at = moment
        if row.approved_at:
            row.approved_at = moment + datetime.timedelta(hours=5)
        if row.verified_at:
            row.verified_at = moment + datetime.timedelta(days=1)
    IndicatorValue.objects.bulk_update(rows, ["submitted_at", "approved_at", "verified_at"], batch_size=500)


def _look_back(ctx, office, people) -> None:
    if LookBack.objects.filter(county=ctx.county, title=LOOK_BACK_TITLE).exists():
        return
    from .board import board_rows

    rows = [
        r
        for r in board_rows(office, Indicator.objects.filter(county=ctx.county, is_active=True))
        if r.lagging
    ]
    if not rows:
        return
    look_back = launch_look_back(
        actor=office,
        county=ctx.county,
        title=LOOK_BACK_TITLE,
        indicators=[r.indicator for r in rows],
        note="各责任单位对照位次靠后指标，深入分析原因，提出赶超措施和时间表，每月跟踪。",
    )
    deadline = calendar.add_working_days(timezone.localdate(), 20)
    for item in look_back.items.select_related("indicator__owner_unit")[:2]:
        slug = item.indicator.owner_unit.code.split("-")[-1]
        submit_look_back_plan(
            item,
            actor=people[f"{slug}_liaison"],
            causes="重点企业订单减少，新增产能尚未释放。",
            measures="一企一策跟踪服务，推动两个技改项目年底前投产入统。",
            responsible_person="分管副局长",
            deadline=deadline,
            expected_value=((item.start_value or Decimal(0)) * Decimal("1.1")).quantize(CENT),
        )
    assert look_back.status == LookBackStatus.OPEN


def build_indicators_demo(ctx) -> None:
    rng = random.Random(ctx.rng.random())
    people = _people(ctx)
    office, stats = people["office1"], people["tjj_liaison"]
    indicators = _catalogue(ctx, office)
    figures = Figures(rng, len(ctx.counties))
    series = {row[0]: _series(row, figures, len(ctx.counties)) for row in spec.INDICATORS}
    _bulletins(ctx, indicators, series, stats)
    _own_figures(ctx, indicators, series, people, stats)
    _look_back(ctx, office, people)
