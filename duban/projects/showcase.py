"""Reads of the showcase tour: readiness per project, the board's cards, countdown, rehearsal result.

Readiness % = Σ(weight × factor) / Σ(weight) × 100, factor 1 for met, ½ for partly, 0 for not
met or not yet assessed (an unassessed criterion is not counted as ready). A card is green at
100%, yellow from READY_YELLOW%, red below: red means "will miss the standard" and the card says
why (the criteria not met, the open gaps).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import calendar

from .choices import Level, Readiness
from .models import Project, ReadinessAssessment, RehearsalScore, Showcase, ShowcaseCriterion, ShowcaseGap

FACTOR: dict[str, Decimal] = {
    Readiness.MET: Decimal(1),
    Readiness.PARTLY: Decimal("0.5"),
    Readiness.NOT_MET: Decimal(0),
}
READY_YELLOW = Decimal(80)
TOP_GAPS = 3


@dataclass
class Card:
    project: Project
    readiness: Decimal
    light: str
    verdict: str
    missing: list[str] = field(default_factory=list)
    gaps: list[ShowcaseGap] = field(default_factory=list)
    open_gaps: int = 0


def countdown(showcase: Showcase, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return {
        "days": (showcase.date - today).days,
        "working_days": max(calendar.working_days_between(today, showcase.date), 0),
    }


def showcase_projects(user, showcase: Showcase):
    """The tour's projects the user may see, in route order: by town or park, then by name."""
    return (
        Project.objects.visible_to(user)
        .filter(county=showcase.county_id, level=Level.CITY_SHOWCASE)
        .select_related("location_unit", "lead_unit")
        .order_by("location_unit__sort_order", "location_unit__name", "name")
    )


def readiness(criteria: list[ShowcaseCriterion], results: dict[int, str]) -> Decimal:
    total = sum((c.weight for c in criteria), Decimal(0))
    if not total:
        return Decimal(0)
    got = sum((c.weight * FACTOR[results[c.pk]] for c in criteria if c.pk in results), Decimal(0))
    return (got / total * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _verdict(value: Decimal) -> tuple[str, str]:
    if value >= 100:
        return "green", _("已达到观摩标准")
    if value >= READY_YELLOW:
        return "yellow", _("基本达到，仍有差距")
    return "red", _("对照观摩要求还有明显差距")


def board(user, showcase: Showcase) -> list[Card]:
    """One card per project (four queries whatever the number of projects), worst first."""
    projects = list(showcase_projects(user, showcase))
    criteria = list(ShowcaseCriterion.objects.visible_to(user).filter(showcase=showcase))
    results: dict[int, dict[int, str]] = {}
    for row in (
        ReadinessAssessment.objects.visible_to(user)
        .filter(criterion__showcase=showcase)
        .values("project_id", "criterion_id", "result")
    ):
        results.setdefault(row["project_id"], {})[row["criterion_id"]] = row["result"]
    gaps: dict[int, list[ShowcaseGap]] = {}
    for gap in (
        ShowcaseGap.objects.visible_to(user)
        .filter(showcase=showcase)
        .select_related("owner_unit", "problem")
        .order_by("due_date", "id")
    ):
        if gap.problem is None or gap.problem.status != "closed":
            gaps.setdefault(gap.project_id, []).append(gap)
    cards = []
    for project in projects:
        mine = results.get(project.pk, {})
        value = readiness(criteria, mine)
        light, verdict = _verdict(value)
        missing = [
            c.name
            + (
                "（部分达到）"
                if mine.get(c.pk) == Readiness.PARTLY
                else "（未评估）"
                if c.pk not in mine
                else ""
            )
            for c in criteria
            if mine.get(c.pk) != Readiness.MET
        ]
        open_gaps = gaps.get(project.pk, [])
        cards.append(Card(project, value, light, verdict, missing, open_gaps[:TOP_GAPS], len(open_gaps)))
    order = {"red": 0, "yellow": 1, "green": 2}
    return sorted(cards, key=lambda c: (order[c.light], c.readiness))


def route(user, showcase: Showcase) -> list[tuple[str, list[Project]]]:
    """The suggested route: towns and parks in order, their projects within each."""
    stops: list[tuple[str, list[Project]]] = []
    for project in showcase_projects(user, showcase):
        name = project.location_unit.short_name or project.location_unit.name
        if not stops or stops[-1][0] != name:
            stops.append((name, []))
        stops[-1][1].append(project)
    return stops


@dataclass
class RehearsalRow:
    project_id: int
    name: str
    average: Decimal
    inspectors: int
    rank: int
    points: Decimal


def rehearsal_result(user, showcase: Showcase) -> tuple[list[RehearsalRow], Decimal | None]:
    """Projects ranked by their average rehearsal score, converted to points by the city's rule
    (1st = top_points, each place below minus rank_step; equal averages share a rank); the
    county's likely result is the mean of its projects' points."""
    rows = (
        RehearsalScore.objects.visible_to(user)
        .filter(showcase=showcase)
        .values("project_id", "project__name")
        .annotate(average=Avg("score"), inspectors=Count("inspector", distinct=True))
        .order_by("-average", "project__name")
    )
    result: list[RehearsalRow] = []
    for i, row in enumerate(rows, 1):
        average = Decimal(row["average"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rank = result[-1].rank if result and result[-1].average == average else i
        points = max(showcase.top_points - showcase.rank_step * (rank - 1), Decimal(0))
        result.append(
            RehearsalRow(row["project_id"], row["project__name"], average, row["inspectors"], rank, points)
        )
    if not result:
        return result, None
    mean = sum((r.points for r in result), Decimal(0)) / len(result)
    return result, mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
