"""Periodic work of investment attraction (fired by `duban worker`, see docs/jobs.md)."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.schedule import register_schedule


@task()
def chase_follow_ups() -> dict[str, int]:
    """The daily chase of leads nobody has followed up (duban.investment.chasing)."""
    from .chasing import chase_idle_leads

    return chase_idle_leads()


register_schedule("investment.chase_follow_ups", chase_follow_ups, daily_at="09:00", workdays_only=True)
