"""The sealer runs every minute from the job scheduler (registered in duban/jobs/tasks.py)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from duban import audit
from duban.audit.events import AuditEvent
from duban.audit.models import AuditSeal
from duban.jobs.schedule import SCHEDULES

pytestmark = pytest.mark.django_db


def test_the_sealer_is_scheduled_every_minute_and_seals_entries_a_few_seconds_old():
    schedule = SCHEDULES["audit.seal"]
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=a_minute_ago), transaction.atomic():
        audit.record(AuditEvent.CONFIG_CHANGED, description="配置")
    with transaction.atomic():
        audit.record(AuditEvent.CONFIG_CHANGED, description="刚写的")

    sealed = schedule.task.call()

    assert schedule.every_seconds == 60
    assert sealed == 1
    assert AuditSeal.objects.count() == 1
