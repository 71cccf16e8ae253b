"""The demo year of supervised tasks: every state, late and punctual units; deterministic; idempotent."""

import datetime

import pytest
from django.db import transaction

from duban.audit.models import AuditEntry
from duban.org.demo import build
from duban.org.models import Unit
from duban.tasks.choices import TaskStatus
from duban.tasks.demo import build_tasks_demo
from duban.tasks.evaluation import unit_figures
from duban.tasks.models import Chase, ExtensionRequest, Meeting, Task

# Builds the org tree and a year of tasks twice (about 15 s on SQLite): `slow`.
pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]


def snapshot():
    return list(
        Task.objects.order_by("meeting__date", "title", "lead_unit__code", "deadline").values_list(
            "title", "lead_unit__code", "status", "deadline", "delay_working_days", "extension_count"
        )
    )


def test_the_demo_year_is_complete_deterministic_and_built_once(settings, monkeypatch, clock):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(build, "_BUILDERS", {"tasks": build_tasks_demo})  # this module's data only
    clock.set(datetime.date(2026, 11, 28), hour=20)
    with transaction.atomic():
        build.build_demo(seed=7, password="Demo-Pass-2026!", modules=["tasks"])
        first = snapshot()
        transaction.set_rollback(True)
    build.build_demo(seed=7, password="Demo-Pass-2026!", modules=["tasks"])
    assert snapshot() == first  # the same seed and day give the same year

    assert len(first) >= 200
    assert set(Task.objects.values_list("status", flat=True)) == set(TaskStatus.values)
    year_end = Meeting.objects.get(name="全县年终工作推进会")
    assert {t.category for t in year_end.tasks.all()} >= {"project", "investment", "indicator", "campaign"}
    assert year_end.tasks.filter(parent__isnull=False).count() == 13  # one sub-task per town
    assert set(ExtensionRequest.objects.values_list("status", flat=True)) == {"approved", "refused"}
    assert Chase.objects.exists() and Task.objects.filter(return_count__gt=0).exists()
    assert (
        AuditEntry.objects.filter(event="task.closed").count() == Task.objects.filter(status="closed").count()
    )
    late_and_punctual = Unit.objects.filter(code__in=["991101-zrj", "991101-jtj", "991101-zjj", "991101-fgj"])
    rows = unit_figures(late_and_punctual, today=datetime.date(2026, 11, 28))
    worst = {r.unit.code for r in rows[-2:]}
    assert worst == {"991101-zrj", "991101-jtj"}  # the late units are at the bottom

    counts = (Task.objects.count(), AuditEntry.objects.count())
    build.build_demo(seed=7, password="Demo-Pass-2026!", modules=["tasks"])
    assert (Task.objects.count(), AuditEntry.objects.count() - 1) == counts  # only the demo entry


def test_the_demo_year_follows_the_two_step_extensions_when_configured(settings, monkeypatch, clock):
    """With extension_leader_approval on, every granted extension went through the office and then
    the task's leader in charge; none is left half-way."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DUBAN_TASKS = {"extension_leader_approval": True}
    monkeypatch.setattr(build, "_BUILDERS", {"tasks": build_tasks_demo})
    clock.set(datetime.date(2026, 11, 28), hour=20)
    build.build_demo(seed=7, password="Demo-Pass-2026!", modules=["tasks"])
    approved = ExtensionRequest.objects.filter(status="approved", task__leader_in_charge__isnull=False)
    assert approved.exists()
    assert not approved.filter(office_decided_by__isnull=True).exists()
    assert all(e.decided_by_id == e.task.leader_in_charge_id for e in approved.select_related("task"))
    assert not ExtensionRequest.objects.filter(status="pending_leader").exists()
