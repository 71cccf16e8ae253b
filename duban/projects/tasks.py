"""Periodic work of the projects app (registered with duban.jobs at start-up)."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.schedule import register_schedule


@task()
def chase_problems() -> int:
    from .reminders import chase_overdue_problems

    return chase_overdue_problems()


@task()
def refresh_project_lights() -> int:
    from .services import refresh_lights

    return refresh_lights()


register_schedule("projects.chase_problems", chase_problems, daily_at="08:30", workdays_only=True)
register_schedule("projects.refresh_lights", refresh_project_lights, daily_at="00:10")


@task()
def chase_reports() -> int:
    from .reports import chase_late_reports

    return chase_late_reports()


register_schedule("projects.chase_reports", chase_reports, daily_at="08:40", workdays_only=True)
