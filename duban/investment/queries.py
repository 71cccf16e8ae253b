"""Composed reads: counting rules, progress against targets, rankings, follow-up lights, the 年前 push.

Counting rules (docs/investment.md), all computed by the database:
- a lead counts once per stage: each stage keeps one date on the lead, so "signed in 2026" is
  the leads whose `signed_on` falls in 2026 (moving back clears the date, re-signing sets it again);
- an expansion counts only its added investment (`counted_amount`);
- a settled duplicate counts once: the losing lead is `count_mode=none` (nowhere) or `credit`
  (its own unit's progress only, never the town, county or pipeline totals).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Rank
from django.utils import timezone

from duban.accounts import policy
from duban.core import calendar
from duban.core.lights import Light, progress_light
from duban.org.choices import UnitKind
from duban.org.models import Region, Unit

from .choices import ACTIVE, BEFORE_SIGNING, DATE_FIELD, PIPELINE, RANK, CountMode, Stage, TargetBasis
from .conf import conf
from .models import InvestmentTarget, Lead, Pairing

MONEY: DecimalField = DecimalField(max_digits=15, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
FIGURES = ["leads", "signed_projects", "signed_amount", "landed_projects", "funds_in_place"]
UNIT_MODES: list[str] = [CountMode.FULL, CountMode.CREDIT]  # a unit's own progress (shared credit counts)
TOTAL_MODES: list[str] = [CountMode.FULL]  # towns, the county, the pipeline: each investor once


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def counted_amount(prefix: str = "") -> Case:
    """The signed amount a lead adds: an expansion counts only its added investment."""
    return Case(
        When(**{f"{prefix}is_expansion": True}, then=Coalesce(F(f"{prefix}added_investment"), ZERO)),
        default=Coalesce(F(f"{prefix}contract_amount"), ZERO),
        output_field=MONEY,
    )


def figure_aggregates(prefix: str, year: int, modes: list[str]) -> dict[str, Any]:
    """The five yearly figures as aggregates over leads reached through `prefix` ("" for Lead itself)."""
    span = year_range(year)
    base = Q(**{f"{prefix}count_mode__in": modes})
    signed = base & Q(**{f"{prefix}signed_on__range": span})
    return {
        "leads": Count(f"{prefix}pk", filter=base & Q(**{f"{prefix}registered_on__range": span})),
        "signed_projects": Count(f"{prefix}pk", filter=signed),
        "signed_amount": Coalesce(Sum(counted_amount(prefix), filter=signed), ZERO),
        "landed_projects": Count(f"{prefix}pk", filter=base & Q(**{f"{prefix}landed_on__range": span})),
        # Funds in place are reported on the lead; they count in the year the lead was signed.
        "funds_in_place": Coalesce(Sum(f"{prefix}funds_in_place", filter=signed), ZERO),
    }


def totals(leads: QuerySet[Lead], year: int) -> dict[str, Any]:
    """The county's (or a filtered list's) five figures, each investor once. One query."""
    return leads.aggregate(**figure_aggregates("", year, TOTAL_MODES))


# --- progress and ranking ---------------------------------------------------------------------


@dataclass
class Progress:
    unit: Unit
    rank: int
    actual: dict[str, Any]
    target: dict[str, Any]
    lights: dict[str, Light] = field(default_factory=dict)
    rate: Decimal | None = None  # signed amount, % of target

    @property
    def cells(self) -> list[dict[str, Any]]:
        return [
            {
                "code": name,
                "actual": self.actual[name],
                "target": self.target[name],
                "light": self.lights[name],
                "money": name in ("signed_amount", "funds_in_place"),
            }
            for name in FIGURES
        ]


def _target_subquery(year: int, basis: str, name: str) -> Subquery:
    targets = InvestmentTarget.objects.filter(unit=OuterRef("pk"), year=year, basis=basis)
    return Subquery(targets.values(name)[:1])


def progress_by_unit(
    county: Region, year: int, basis: str = TargetBasis.SOURCE, today=None
) -> list[Progress]:
    """Each unit's figures against its targets, ranked by the signed amount's completion rate. One query."""
    today = today or timezone.localdate()
    if basis == TargetBasis.SOURCE:
        prefix, modes, kinds = (
            "source_leads__",
            UNIT_MODES,
            [UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.PARK],
        )
    else:
        prefix, modes, kinds = "located_leads__", TOTAL_MODES, [UnitKind.TOWN, UnitKind.PARK]
    targets = {f"t_{name}": _target_subquery(year, basis, name) for name in FIGURES}
    rate = Case(
        When(
            t_signed_amount__gt=0,
            then=ExpressionWrapper(F("signed_amount") * 100 / F("t_signed_amount"), MONEY),
        ),
        default=None,
        output_field=MONEY,
    )
    units = (
        Unit.objects.filter(region__path__startswith=county.path, kind__in=kinds, is_active=True)
        .annotate(**figure_aggregates(prefix, year, modes), **targets)
        .annotate(rate=rate)
        .annotate(
            rank=Window(Rank(), order_by=[F("rate").desc(nulls_last=True), F("signed_amount").desc()]),
        )
        .order_by("rank", "sort_order", "name")
    )
    if basis == TargetBasis.SOURCE:
        # Towns and parks take part as sources only when they were given a source target.
        units = units.filter(Q(kind=UnitKind.DEPARTMENT) | Q(t_leads__isnull=False))
    start, end = year_range(year)
    rows = []
    for unit in units:
        actual = {name: getattr(unit, name) for name in FIGURES}
        target = {name: getattr(unit, f"t_{name}") for name in FIGURES}
        lights = {name: progress_light(target[name], actual[name], start, end, today) for name in FIGURES}
        rows.append(Progress(unit, unit.rank, actual, target, lights, unit.rate))
    return rows


# --- follow-up lights ---------------------------------------------------------------------------


def follow_up_boundaries(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(yellow, red): a lead last touched before the date has gone more than N working days untouched.

    Working days in (last, today] exceed N exactly when last < the N-th working day before the
    latest working day up to today (docs/calendar.md, working_days_between).
    """
    latest = calendar.previous_workday(today)
    yellow = calendar.add_working_days(latest, -int(conf("FOLLOW_UP_YELLOW_DAYS")))
    red = calendar.add_working_days(latest, -int(conf("FOLLOW_UP_RED_DAYS")))
    return yellow, red


def follow_light_case(today: datetime.date) -> Case:
    yellow, red = follow_up_boundaries(today)
    return Case(
        When(~Q(stage__in=ACTIVE), then=Value("grey")),
        When(last_activity_on__lt=red, then=Value("red")),
        When(last_activity_on__lt=yellow, then=Value("yellow")),
        default=Value("green"),
        output_field=CharField(),
    )


def follow_light(lead: Lead, today: datetime.date) -> Light:
    """The follow-up light of one lead, with its reason (the same rule as follow_light_case)."""
    from django.utils.translation import gettext as _

    if lead.stage not in ACTIVE:
        return Light("grey", str(lead.get_stage_display()))
    days = calendar.working_days_between(lead.last_activity_on, today)
    yellow, red = follow_up_boundaries(today)
    colour = "red" if lead.last_activity_on < red else "yellow" if lead.last_activity_on < yellow else "green"
    reason = _("%(n)s个工作日未跟进") % {"n": days} if colour != "green" else _("跟进正常")
    return Light(colour, reason, working_days=days)


# --- lists --------------------------------------------------------------------------------------


def leads_for(user, action: str = policy.VIEW) -> QuerySet[Lead]:
    """Visible leads with what lists need, and whether the user may read each one in confidence."""
    secret = Lead.objects.visible_to(user, policy.CONFIDENTIAL).values("pk")
    return (
        Lead.objects.visible_to(user, action)
        .select_related("source_unit", "intended_location", "follower")
        .annotate(
            may_read=Case(When(pk__in=secret, then=Value(True)), default=Value(False)),
            follow=follow_light_case(timezone.localdate()),
        )
    )


def timeline(lead: Lead) -> list[dict[str, Any]]:
    """Stage moves and follow-ups of a lead the caller may read in confidence, newest first. Two queries."""
    from .choices import MOVES

    items = [
        {"date": m.date, "kind": "move", "obj": m, "label": MOVES[m.action].label}
        for m in lead.moves.select_related("actor")
    ]
    items += [
        {"date": f.date, "kind": "follow", "obj": f, "label": f.get_kind_display()}
        for f in lead.follow_ups.select_related("author")
    ]
    return sorted(items, key=lambda i: (i["date"], i["kind"] == "follow", i["obj"].pk), reverse=True)


def funnel(leads: QuerySet[Lead]) -> list[dict[str, Any]]:
    """How many leads reached each pipeline stage, and the amount, each investor once. One query."""
    qs = leads.filter(count_mode=CountMode.FULL)
    aggregates: dict[str, Any] = {"n_information": Count("pk")}
    for stage, date_field in DATE_FIELD.items():
        aggregates[f"n_{stage}"] = Count("pk", filter=Q(**{f"{date_field}__isnull": False}))
    aggregates["amount"] = Coalesce(Sum("planned_investment"), ZERO)
    aggregates["signed_amount"] = Coalesce(Sum(counted_amount(), filter=Q(signed_on__isnull=False)), ZERO)
    row = qs.aggregate(**aggregates)
    return [
        {"stage": stage, "label": str(Stage(stage).label), "count": row[f"n_{stage}"]} for stage in PIPELINE
    ] + [{"stage": "_amount", "label": "", "count": row["amount"], "signed_amount": row["signed_amount"]}]


def stage_counts(leads: QuerySet[Lead]) -> dict[str, int]:
    return dict(leads.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))


def pairing_matrix(user, year: int) -> QuerySet[Pairing]:
    """Every visible pairing of the year with its lead count, signed amount and last activity. One query."""
    leads = Lead.objects.filter(
        source_unit=OuterRef("department"),
        intended_location=OuterRef("partner"),
        registered_on__year=year,
        count_mode__in=UNIT_MODES,
    ).order_by()
    grouped = leads.values("source_unit")
    return (
        Pairing.objects.visible_to(user)
        .filter(year=year)
        .select_related("department", "partner", "leader_in_charge")
        .annotate(
            lead_count=Coalesce(
                Subquery(grouped.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
            ),
            signed_amount=Coalesce(
                Subquery(
                    grouped.annotate(s=Sum(counted_amount(), filter=Q(signed_on__isnull=False))).values("s")
                ),
                ZERO,
            ),
            last_activity=Subquery(grouped.annotate(m=Max("last_activity_on")).values("m")),
        )
    )


# --- the 年前 push and idle units ---------------------------------------------------------------


def spring_deadline(today: datetime.date) -> datetime.date:
    """The next 年前 (last working day before the Spring Festival holiday) not yet passed."""
    deadline = calendar.before_spring_festival(today.year)
    return deadline if today <= deadline else calendar.before_spring_festival(today.year + 1)


@dataclass
class PushItem:
    lead: Lead
    days_left: int
    missing: list[str]


def spring_push(user, today=None) -> tuple[datetime.date, int, list[PushItem]]:
    """Leads expected to sign before 年前 that have not signed yet, with what is still missing."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    deadline = spring_deadline(today)
    leads = (
        leads_for(user)
        .filter(stage__in=BEFORE_SIGNING, expected_sign_on__isnull=False, expected_sign_on__lte=deadline)
        .order_by("expected_sign_on", "pk")
    )
    items = []
    for lead in leads:
        missing = [str(Stage(s).label) for s in PIPELINE[RANK[lead.stage] + 1 : RANK[Stage.SIGNED] + 1]]
        missing = [_("尚需：%(stages)s") % {"stages": "、".join(missing)}]
        if not lead.credit_code:
            missing.append(_("缺统一社会信用代码"))
        if getattr(lead, "follow", "") in ("yellow", "red"):
            missing.append(follow_light(lead, today).reason)
        if lead.follower_id is None:
            missing.append(_("未指定跟进人"))
        days = calendar.working_days_between(today, lead.expected_sign_on or deadline)
        items.append(PushItem(lead, days, missing))
    return deadline, calendar.working_days_between(today, deadline), items


def _scalar(qs: QuerySet, function: str, field_name: str) -> Subquery:
    """One aggregate of a correlated subquery (no GROUP BY: the filter already names one unit)."""
    output: IntegerField | None = IntegerField() if function == "COUNT" else None
    return Subquery(
        qs.order_by().annotate(v=Func(F(field_name), function=function, output_field=output)).values("v")[:1]
    )


@dataclass
class IdleUnit:
    unit: Unit
    leads: int
    last_activity: datetime.date | None


def idle_units(county: Region, year: int, today=None) -> tuple[list[IdleUnit], list[IdleUnit]]:
    """(units with no lead this year, units with no active lead touched for N working days). One query."""
    today = today or timezone.localdate()
    boundary = calendar.add_working_days(calendar.previous_workday(today), -int(conf("IDLE_UNIT_DAYS")))
    span = year_range(year)
    # A department counts the leads it brings; a town or park also those that would land in it.
    mine = Q(source_unit=OuterRef("pk")) | Q(intended_location=OuterRef("pk"))
    units = (
        Unit.objects.filter(
            region__path__startswith=county.path,
            is_active=True,
            kind__in=[UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.PARK],
        )
        .annotate(
            n=Coalesce(_scalar(Lead.objects.filter(mine, registered_on__range=span), "COUNT", "pk"), 0),
            last=_scalar(Lead.objects.filter(mine, stage__in=ACTIVE), "MAX", "last_activity_on"),
        )
        .order_by("kind", "sort_order", "name")
    )
    none, idle = [], []
    for unit in units:
        if unit.n == 0:
            none.append(IdleUnit(unit, 0, unit.last))
        elif unit.last is None or unit.last < boundary:
            idle.append(IdleUnit(unit, unit.n, unit.last))
    return none, idle


def counties_for(user) -> QuerySet[Region]:
    """The counties whose investment pages the user may open (its directory roots, or below them)."""
    from duban.org.choices import RegionLevel

    roots = policy.grants_of(user).directory_roots
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(path__startswith=root)
    return Region.objects.visible_to(user).filter(q, level=RegionLevel.COUNTY).order_by("path")
