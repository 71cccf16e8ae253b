"""The jobs app's own periodic housekeeping (registered at start-up, fired by `duban worker`)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from .models import ScheduleFiring
from .schedule import register_schedule

logger = logging.getLogger("duban.jobs")

FIRINGS_KEPT = dt.timedelta(days=7)
QUEUE_RESULTS_KEPT = dt.timedelta(days=14)


@task()
def prune_job_records() -> dict[str, int]:
    """Forget old schedule firings and finished queue rows (the Job rows themselves stay)."""
    now = timezone.now()
    firings, _ = ScheduleFiring.objects.filter(slot__lt=now - FIRINGS_KEPT).delete()
    results = 0
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # a deployment on another queue backend
        pass
    else:
        results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - QUEUE_RESULTS_KEPT).delete()
    logger.info("pruned %s schedule firings and %s finished queue rows", firings, results)
    return {"firings": firings, "queue_results": results}


register_schedule("jobs.prune", prune_job_records, daily_at="03:10")
