"""Starting jobs and reporting from inside them."""

from __future__ import annotations

import stat

import pytest

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.jobs import services
from duban.jobs.models import Job, JobStatus
from duban.org.factories import make_county, make_unit
from duban.org.models import Unit

from .sample_jobs import SAMPLE_KIND

pytestmark = pytest.mark.django_db


def _admin():
    county = make_county()
    return make_user_with_role(Role.SYSTEM_ADMIN, unit=make_unit(region=county)), county


def test_job_is_enqueued_only_after_commit_and_its_body_is_audited(
    sample_job_kind, media_root, django_capture_on_commit_callbacks
):
    """Given an admin, when a job is started, then nothing runs before commit; after commit the
    body creates units through the service (audited, source "job") and the job succeeds with a file."""
    admin, county = _admin()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_job(
            owner=admin,
            kind=SAMPLE_KIND,
            title="批量建单位",
            task=sample_job_kind,
            params={"n": 2},
            region_id=county.pk,
            names=["甲局", "乙局"],
        )
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
        assert not Unit.objects.filter(name="甲局").exists()
    started = AuditEntry.objects.get(event=AuditEvent.JOB_STARTED, target_id=str(job.pk))
    assert started.actor == admin

    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.progress_done, job.progress_total, job.percent) == (2, 2, 100)
    assert job.result == {"created": 2}
    assert job.task_result_id
    assert "开始创建 2 个单位" in job.log
    path = media_root / "jobs" / job.result_file
    assert path.read_text(encoding="utf-8") == "甲局\n乙局"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    created = AuditEntry.objects.filter(event=AuditEvent.UNIT_CREATED, actor=admin, source="job")
    assert set(created.values_list("target_repr", flat=True)) >= {"甲局", "乙局"}


def test_a_failing_body_marks_the_job_failed_and_rolls_back_its_row(
    sample_job_kind, media_root, django_capture_on_commit_callbacks
):
    """When the body raises on row 2, the job is failed with the message shown to its owner
    and nothing of row 2 is written."""
    admin, county = _admin()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(
            owner=admin,
            kind=SAMPLE_KIND,
            title="会失败",
            task=sample_job_kind,
            region_id=county.pk,
            names=["丙局", "丁局"],
            fail_at=2,
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "第2行出错" in job.error
    assert job.finished_at is not None
    assert not Unit.objects.filter(name="丁局").exists()


def test_unregistered_kind_is_refused_and_nothing_is_written(sample_job_kind):
    admin, _ = _admin()
    with pytest.raises(LookupError):
        services.start_job(owner=admin, kind="nobody.registered_this", title="x", task=sample_job_kind)
    assert not Job.objects.exists()


def test_progress_writes_are_throttled(sample_job_kind, django_assert_num_queries):
    """10,000 progress calls in a fast loop write a handful of times, not 10,000."""
    admin, _ = _admin()
    job = Job.objects.create(kind=SAMPLE_KIND, title="t", owner=admin, status=JobStatus.RUNNING)
    writes = sum(services.update_progress(job, i, 10_000) for i in range(1, 10_001))
    assert 20 <= writes <= 30  # every 500 rows (+ the last), or every second on a slow machine
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (10_000, 10_000)


def test_result_file_outside_the_jobs_folder_is_refused(media_root, tmp_path, sample_job_kind):
    admin, _ = _admin()
    job = Job.objects.create(kind=SAMPLE_KIND, title="t", owner=admin, status=JobStatus.RUNNING)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("x")
    with pytest.raises(ValueError):
        services.finish_job(job, result_file=outside)


def test_log_keeps_its_tail_and_strips_control_characters(sample_job_kind):
    admin, _ = _admin()
    job = Job.objects.create(kind=SAMPLE_KIND, title="t", owner=admin, status=JobStatus.RUNNING)
    services.append_log(job, "a\x1b[31mb")
    assert "\x1b" not in job.log
    for _ in range(300):
        services.append_log(job, "x" * 500)
    assert len(job.log) <= services.LOG_LIMIT + 50
    assert job.log.startswith("…")
