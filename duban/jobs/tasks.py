"""Platform periodic work: job housekeeping and the audit sealer (fired by `duban worker`)."""

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


@task()
def seal_audit_chain() -> int:
    """Seal new audit entries into the hash chain (duban.audit.chain), every minute."""
    from duban.audit.chain import seal_pending

    return seal_pending()


register_schedule("audit.seal", seal_audit_chain, every_seconds=60)
