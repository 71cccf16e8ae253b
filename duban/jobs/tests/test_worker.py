"""The real queue: jobs and schedules through django-tasks-db's DatabaseBackend and its Worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.jobs import services
from duban.jobs.models import Job, JobStatus, ScheduleFiring
from duban.jobs.schedule import FIRED, Schedule, Scheduler
from duban.org.factories import make_county, make_unit
from duban.org.models import Unit

from . import sample_schedules
from .sample_jobs import SAMPLE_KIND

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def database_backend(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    # The worker closes connections between tasks; inside the test's transaction (not in
    # autocommit) that would close the test's own PostgreSQL connection.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _drain() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_a_job_waits_in_the_database_queue_until_the_worker_runs_it(
    database_backend, sample_job_kind, media_root, django_capture_on_commit_callbacks
):
    county = make_county()
    admin = make_user_with_role(Role.SYSTEM_ADMIN, unit=make_unit(region=county))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(
            owner=admin,
            kind=SAMPLE_KIND,
            title="排队",
            task=sample_job_kind,
            region_id=county.pk,
            names=["戊局"],
        )
    job.refresh_from_db()
    queued = DBTaskResult.objects.get(id=job.task_result_id)
    assert job.status == JobStatus.QUEUED and queued.args_kwargs["kwargs"]["job_id"] == job.pk
    assert not Unit.objects.filter(name="戊局").exists()

    _drain()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert Unit.objects.filter(name="戊局").exists()
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"


def test_a_fired_schedule_is_queued_once_and_run_by_the_worker(database_backend):
    sample_schedules.RUNS.clear()
    schedules = [Schedule("t.db", sample_schedules.count_run, every_seconds=60)]
    assert Scheduler(worker_id="a", schedules=schedules).tick() == {"t.db": FIRED}
    assert Scheduler(worker_id="b", schedules=schedules).tick() == {"t.db": "taken"}
    assert DBTaskResult.objects.filter(task_path__endswith="count_run").count() == 1
    _drain()
    assert len(sample_schedules.RUNS) == 1
    assert ScheduleFiring.objects.filter(name="t.db").count() == 1


def test_the_worker_command_runs_the_queue(
    database_backend, sample_job_kind, media_root, django_capture_on_commit_callbacks
):
    county = make_county()
    admin = make_user_with_role(Role.SYSTEM_ADMIN, unit=make_unit(region=county))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(
            owner=admin,
            kind=SAMPLE_KIND,
            title="命令",
            task=sample_job_kind,
            region_id=county.pk,
            names=["己局"],
        )
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


@pytest.mark.slow
def test_sigterm_stops_worker_and_scheduler_cleanly(tmp_path):
    """`duban worker` on its own SQLite database: SIGTERM while idle exits 0 after stopping the scheduler."""
    env = {**os.environ, "DUBAN_VAR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "duban.settings"}
    env.pop("DATABASE_URL", None)
    manage = str(Path(__file__).resolve().parents[3] / "manage.py")
    subprocess.run([sys.executable, manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    proc = subprocess.Popen(
        [sys.executable, manage, "worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _fired(tmp_path):
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "scheduler started" in output and "scheduler stopped" in output


def _fired(var: Path) -> bool:
    import sqlite3

    try:
        with sqlite3.connect(var / "duban.sqlite3") as db:
            return bool(db.execute("select count(*) from jobs_schedulefiring").fetchone()[0])
    except sqlite3.Error:
        return False


def test_the_audit_sealer_is_scheduled_every_minute_and_calls_seal_pending(monkeypatch):
    """The "audit.seal" schedule's task calls duban.audit.chain.seal_pending (the sealer itself is
    tested with the audit chain)."""
    from duban.audit import chain
    from duban.jobs.schedule import SCHEDULES

    calls = []
    monkeypatch.setattr(chain, "seal_pending", lambda: calls.append(1) or 7)
    schedule = SCHEDULES["audit.seal"]
    assert schedule.every_seconds == 60
    assert schedule.task.call() == 7
    assert calls == [1]
