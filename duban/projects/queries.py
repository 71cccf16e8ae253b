"""Composed reads of the projects app: lists, counts, aggregates. Pages and the API start here."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from .models import Milestone, Problem, Project


def projects_for(user) -> QuerySet[Project]:
    return Project.objects.visible_to(user).select_related(
        "county", "location_unit", "lead_unit", "leader_in_charge"
    )


def slips_by_project(user) -> dict[int, dict[str, int]]:
    """Approved moves and days slipped per project (one query)."""
    rows = (
        Milestone.objects.visible_to(user)
        .values("project_id")
        .annotate(moves=Sum("move_count"), days=Sum("days_slipped"))
    )
    return {r["project_id"]: {"moves": r["moves"] or 0, "days": r["days"] or 0} for r in rows}


def slips_by_unit(user) -> list[dict]:
    """Approved moves and days slipped per lead unit, most slipped first (one query)."""
    rows = (
        Milestone.objects.visible_to(user)
        .filter(move_count__gt=0)
        .values("project__lead_unit_id", "project__lead_unit__name")
        .annotate(moves=Sum("move_count"), days=Sum("days_slipped"))
        .order_by("-days", "project__lead_unit__name")
    )
    return [{"unit": r["project__lead_unit__name"], "moves": r["moves"], "days": r["days"]} for r in rows]


def light_counts(qs: QuerySet[Project]) -> dict[str, int]:
    """Projects per light colour for a (filtered) register, in one query."""
    return dict(qs.order_by().values_list("light").annotate(n=Count("id")))


def problems_for(user) -> QuerySet[Problem]:
    return Problem.objects.visible_to(user).select_related("project", "raised_by")


def open_problem_counts(projects: QuerySet[Project]) -> dict[int, int]:
    rows = (
        Problem.objects.filter(project__in=projects.values("pk"))
        .exclude(status="closed")
        .values("project_id")
        .annotate(n=Count("id"))
    )
    return {r["project_id"]: r["n"] for r in rows}
