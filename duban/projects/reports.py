"""Reads of progress reports (a project's versions, the latest per period, the missing period) and
the daily chase of late reports (one notification per project, period, person and day)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.notifications.services import notify

from .choices import ProjectStatus
from .models import ProgressReport, Project
from .periods import due_date, last_due_period, period_of

# Projects still being built report their progress; completed or suspended ones do not.
REPORTING_STATES = [ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION]


def project_reports(user, project: Project) -> list[ProgressReport]:
    """Every version of the project's reports, newest period first, current version first."""
    return list(
        ProgressReport.objects.visible_to(user)
        .filter(project=project)
        .select_related("submitted_by", "approved_by")
        .order_by("-period_start", "-is_current", "-version")
    )


def missing_period(project: Project, reports: list[ProgressReport], today: datetime.date | None = None):
    """The latest overdue period without any report (start, end, due), or None."""
    today = today or timezone.localdate()
    if project.status not in REPORTING_STATES:
        return None
    period = last_due_period(today, project.report_frequency)
    if period is None or period[1] < project.planned_start:
        return None
    if any(r.period_start == period[0] for r in reports):
        return None
    return period[0], period[1], due_date(period[1])


def late_projects(today: datetime.date) -> QuerySet[Project]:
    """Reporting projects with no report for their latest overdue period (weekly and monthly)."""
    qs = Project.objects.none()
    for frequency in ("weekly", "monthly"):
        period = last_due_period(today, frequency)
        if period is None:
            continue
        has_report = ProgressReport.objects.filter(project=OuterRef("pk"), period_start=period[0])
        qs = qs | Project.objects.filter(
            report_frequency=frequency,
            status__in=REPORTING_STATES,
            planned_start__lte=period[1],
        ).filter(~Exists(has_report))
    return qs


def chase_late_reports(today: datetime.date | None = None) -> int:
    """Notify the lead unit's head and liaisons of each project whose report is overdue.

    Key `projects.report_late:<project>:<period start>:<day>`: a second run the same day sends
    nothing more. Returns the number of notifications created.
    """
    from .services.problems import unit_people

    today = today or timezone.localdate()
    sent = 0
    for project in late_projects(today).select_related("lead_unit").iterator(chunk_size=200):
        start, end = period_of(last_due_period(today, project.report_frequency)[0], project.report_frequency)  # type: ignore[index]
        sent += len(
            notify(
                unit_people([project.lead_unit_id]),
                kind="projects.report_late",
                title=_("项目进展逾期未报：%(p)s") % {"p": project.name},
                body=_("%(a)s至%(b)s的进展报告应于%(d)s前报送，请尽快报送。")
                % {"a": start.isoformat(), "b": end.isoformat(), "d": due_date(end).isoformat()},
                url=reverse("projects:project_reports", args=[project.pk]),
                target=project,
                key=f"projects.report_late:{project.pk}:{start.isoformat()}:{today.isoformat()}",
            )
        )
    return sent
