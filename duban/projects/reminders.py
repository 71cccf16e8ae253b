"""Chasing overdue problems: one notification per problem, unit person and day (idempotent key)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import calendar
from duban.notifications.services import notify

from .choices import ProblemStatus
from .models import Problem
from .services.problems import unit_people

CHASED_STATES = [ProblemStatus.ASSIGNED, ProblemStatus.RETURNED]


def chase_overdue_problems(today: datetime.date | None = None) -> int:
    """Notify the heads and liaisons of every unit that still owes an overdue problem.

    The key `projects.problem_overdue:<id>:<day>` makes a second run on the same day (a restarted
    worker, two workers) send nothing more. Returns the number of notifications created.
    """
    today = today or timezone.localdate()
    overdue = (
        Problem.objects.filter(status__in=CHASED_STATES, due_date__lt=today)
        .select_related("project")
        .prefetch_related("assignments")
    )
    sent = 0
    for problem in overdue.iterator(chunk_size=200):
        owing = [a.unit_id for a in problem.assignments.all() if a.answered_at is None]
        days = calendar.working_days_between(problem.due_date, today)
        sent += len(
            notify(
                unit_people(owing),
                kind="projects.problem_overdue",
                title=_("项目问题已逾期%(n)d个工作日：%(t)s") % {"n": days, "t": problem.title},
                body=_("项目“%(p)s”的问题办结时限为%(d)s，请尽快办理并答复。")
                % {"p": problem.project.name, "d": problem.due_date.isoformat()},
                url=reverse("projects:problem_detail", args=[problem.pk]),
                target=problem,
                key=f"projects.problem_overdue:{problem.pk}:{today.isoformat()}",
            )
        )
    return sent
