"""Periodic work of campaigns (fired by `duban worker`, see docs/jobs.md)."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.schedule import register_schedule


@task()
def chase_rectifications() -> dict[str, int]:
    """The daily chase of overdue rectification orders (duban.campaigns.services.rectifications)."""
    from .services.rectifications import chase_overdue

    return chase_overdue()


register_schedule(
    "campaigns.chase_rectifications", chase_rectifications, daily_at="09:00", workdays_only=True
)
