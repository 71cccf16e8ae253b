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


def problem_detail_qs(user) -> QuerySet[Problem]:
    return (
        Problem.objects.visible_to(user)
        .select_related("project__county", "project__lead_unit", "raised_by")
        .prefetch_related("assignments__unit", "assignments__answered_by")
    )


def attach_problem_facts(problems: list[Problem]) -> None:
    """Light and responsible units for the rows of one page (one query for all units)."""
    from django.db.models import prefetch_related_objects

    from duban.core.lights import deadline_light

    prefetch_related_objects(problems, "assignments__unit")
    for p in problems:
        p.light = deadline_light(p.due_date, p.closed_on)  # type: ignore[attr-defined]
        p.unit_names = "、".join(a.unit.short_name or a.unit.name for a in p.assignments.all())  # type: ignore[attr-defined]


def owed_by_unit(user) -> list[dict]:
    """What each responsible unit still owes: unanswered open problems and how many are overdue."""
    from django.db.models import Q
    from django.utils import timezone

    from .choices import ProblemStatus
    from .models import ProblemAssignment

    waiting = [ProblemStatus.ASSIGNED, ProblemStatus.RETURNED]
    rows = (
        ProblemAssignment.objects.filter(problem__in=Problem.objects.visible_to(user).values("pk"))
        .filter(problem__status__in=waiting, answered_at__isnull=True)
        .values("unit_id", "unit__name")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(problem__due_date__lt=timezone.localdate())))
        .order_by("-overdue", "-n", "unit__name")
    )
    return [
        {"unit_id": r["unit_id"], "unit": r["unit__name"], "open": r["n"], "overdue": r["overdue"]}
        for r in rows
    ]


def attach_register_facts(user, projects: list[Project]) -> None:
    """Completion rate, open problems and slips for the rows of one register page (two queries)."""
    from .lights import completion_rate

    ids = [p.pk for p in projects]
    open_counts = dict(
        Problem.objects.visible_to(user)
        .filter(project_id__in=ids)
        .exclude(status="closed")
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    slips = {
        r["project_id"]: r
        for r in Milestone.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(moves=Sum("move_count"), days=Sum("days_slipped"))
    }
    for p in projects:
        p.rate = completion_rate(p)  # type: ignore[attr-defined]
        p.open_problems = open_counts.get(p.pk, 0)  # type: ignore[attr-defined]
        p.moves = (slips.get(p.pk) or {}).get("moves") or 0  # type: ignore[attr-defined]


def has_full_view(user, project: Project) -> bool:
    """Whether the user sees the whole project, not only the problems assigned to their unit."""
    from duban.accounts import policy

    core = policy.project_scope_q(user, policy.VIEW, with_problems=False)
    return Project.objects.filter(core, pk=project.pk).exists()


def project_problems(user, project: Project) -> list[Problem]:
    rows = list(Problem.objects.visible_to(user).filter(project=project).order_by("-created_at"))
    attach_problem_facts(rows)
    return rows


def project_page_facts(user, project: Project) -> dict:
    """Milestones with lights, stewards, investment reports and the timeline (fixed query count)."""
    from .lights import milestone_light
    from .models import InvestmentReport, MilestoneMove, Stewardship

    milestones = list(
        Milestone.objects.visible_to(user).filter(project=project).order_by("sequence", "planned_date")
    )
    for m in milestones:
        m.light = milestone_light(m)  # type: ignore[attr-defined]
    from .visits import project_visits, with_days_on_site

    stewards = list(
        with_days_on_site(
            Stewardship.objects.visible_to(user)
            .filter(project=project, end_date__isnull=True)
            .select_related("user", "unit")
        )
    )
    visits = project_visits(user, project)
    from .reports import missing_period
    from .reports import project_reports as reports_of

    progress = reports_of(user, project)
    reports = list(
        InvestmentReport.objects.visible_to(user).filter(project=project).order_by("-year", "-month")[:24]
    )
    moves = list(
        MilestoneMove.objects.visible_to(user)
        .filter(milestone__project=project)
        .select_related("milestone", "requested_by")
    )
    timeline = [(m.actual_date or m.planned_date, "milestone", m) for m in milestones]
    timeline += [(r.created_at.date(), "investment", r) for r in reports]
    timeline += [(mv.created_at.date(), "move", mv) for mv in moves]
    timeline += [(v.date, "visit", v) for v in visits]
    timeline += [(r.submitted_at.date(), "report", r) for r in progress if r.is_current]
    timeline.sort(key=lambda item: item[0], reverse=True)
    return {
        "milestones": milestones,
        "stewards": stewards,
        "reports": reports,
        "moves": moves,
        "visits": visits,
        "missing_report": missing_period(project, progress),
        "timeline": timeline,
        "pending_moves": {mv.milestone_id for mv in moves if mv.status == "pending"},
    }
