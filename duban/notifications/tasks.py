"""Delivery tasks and the retry sweep (registered at start-up; fired by `duban worker`)."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.schedule import register_schedule

from . import services


@task()
def deliver_notification(delivery_id: int) -> str:
    return services.deliver(delivery_id)


@task()
def retry_deliveries() -> int:
    return services.retry_due()


register_schedule("notifications.retry", retry_deliveries, every_seconds=30)
