"""Periodic work of the tasks module (fired by `duban worker`, see docs/jobs.md)."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.schedule import register_schedule


@task()
def send_task_reminders() -> dict[str, int]:
    """The daily automatic reminders (duban.tasks.reminders)."""
    from .reminders import send_reminders

    return send_reminders()


def _register() -> None:
    from .reminders import config

    # Working days only, unless the deployment asks for reminders on days off too
    # (send_reminders checks the day itself as well).
    workdays_only = not config()["fire_on_holidays"]
    register_schedule(
        "tasks.daily_reminders", send_task_reminders, daily_at="08:30", workdays_only=workdays_only
    )


_register()
