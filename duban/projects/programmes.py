"""Reads of programmes: the progress page's figures in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from .choices import OPEN_PROBLEM_STATES
from .lights import completion_rate
from .models import PlanMilestone, Programme, Project


def programmes_for(user) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).select_related("county", "headquarters", "leader")


def progress(user, programme: Programme) -> dict:
    """Plan-making steps with lights, the programme's projects (lights, rates, open problems) and
    the investment totals of the projects the user may see."""
    from duban.core.lights import deadline_light

    steps = list(PlanMilestone.objects.visible_to(user).filter(programme=programme).order_by("sequence"))
    for step in steps:
        step.light = deadline_light(step.planned_date, step.actual_date)  # type: ignore[attr-defined]
    projects = list(
        Project.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("lead_unit", "location_unit")
        .annotate(open_problems=Count("problems", filter=Q(problems__status__in=OPEN_PROBLEM_STATES)))
        .order_by("code")
    )
    for p in projects:
        p.rate = completion_rate(p)  # type: ignore[attr-defined]
    totals = (
        Project.objects.visible_to(user)
        .filter(programme=programme)
        .aggregate(
            total=Sum("total_investment"),
            plan=Sum("year_plan_investment"),
            done=Sum("year_completed_investment"),
        )
    )
    plan, done = totals["plan"] or Decimal(0), totals["done"] or Decimal(0)
    return {
        "steps": steps,
        "steps_done": sum(1 for s in steps if s.actual_date),
        "projects": projects,
        "lights": {c: sum(1 for p in projects if p.light == c) for c in ("red", "yellow", "green")},
        "total_investment": totals["total"] or Decimal(0),
        "year_plan": plan,
        "year_done": done,
        "year_rate": (done / plan * 100).quantize(Decimal("0.1")) if plan else None,
        "members": list(programme.members.order_by("sort_order", "name")),
    }
