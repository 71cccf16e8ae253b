"""Lights of projects and milestones, from the shared rules in duban.core.lights.

A milestone's light is a deadline light (planned date, actual date). A project's investment
light is a progress light of the year's cumulative completed investment against the year's plan
over the calendar year. The project's overall light is the worst of both, with the reason of
the worst one naming what it is about.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.lights import Light, deadline_light, progress_light

from .models import Milestone, Project


def milestone_light(milestone: Milestone, today: datetime.date | None = None) -> Light:
    return deadline_light(milestone.planned_date, milestone.actual_date, today)


def investment_light(project: Project, today: datetime.date | None = None) -> Light:
    year = project.plan_year
    return progress_light(
        project.year_plan_investment,
        project.year_completed_investment,
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        today,
    )


def completion_rate(project: Project):
    """This year's completed investment as a percentage of the year's plan (None without a plan)."""
    if not project.year_plan_investment:
        return None
    return (project.year_completed_investment / project.year_plan_investment * 100).quantize(
        project.year_plan_investment.__class__("0.1")
    )


def project_light(
    project: Project, milestones: Iterable[Milestone], today: datetime.date | None = None
) -> Light:
    """The worst of the milestones' lights and the investment light, its reason saying which."""
    today = today or timezone.localdate()
    candidates: list[tuple[Light, str]] = [
        (milestone_light(m, today), _("节点“%(name)s”") % {"name": m.name}) for m in milestones
    ]
    candidates.append((investment_light(project, today), _("年度投资")))
    light, about = max(candidates, key=lambda pair: pair[0].severity)
    return Light(light.colour, f"{about}{light.reason}", light.working_days, light.lag_percent, light.late)
