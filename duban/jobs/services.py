"""Starting background jobs and reporting from inside them.

From a service (web, API, CLI)::

    job = start_job(owner=actor, kind="org.import_units", title="导入单位", task=import_units,
                    params={"file": name}, upload=stored_path)

The Job row is created in the caller's transaction; the task is enqueued with the job id only
after that transaction commits, so a worker never sees a job whose data was rolled back.

Inside the job body (a django-tasks task registered with `register_job`)::

    with job_running(job_id) as job:
        for i, row in enumerate(rows, 1):
            some_service(row, actor=job.owner)   # the same service as the web: audited
            update_progress(job, i, len(rows))
        path = result_path(job, "结果.xlsx"); write(path)
        finish_job(job, result={"created": n}, result_file=path)

An exception escaping the block marks the job failed (its message is shown to the owner)
and is re-raised so the queue records it too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from duban import audit
from duban.audit.context import acting
from duban.audit.events import AuditEvent

from .models import Job, JobStatus
from .registry import task_for

logger = logging.getLogger("duban.jobs")

# A progress write at most every PROGRESS_EVERY rows or PROGRESS_SECONDS seconds.
PROGRESS_EVERY = 500
PROGRESS_SECONDS = 1.0
# The log keeps its tail: a runaway job must not grow a row without bound.
LOG_LIMIT = 100_000
ERROR_LIMIT = 4000
RESULT_DIR = "jobs"


def start_job(
    *,
    owner,
    kind: str,
    title: str,
    task: Task | None = None,
    params: dict[str, Any] | None = None,
    **task_kwargs: Any,
) -> Job:
    """Create the Job row now and enqueue `task(job_id=..., **task_kwargs)` after commit.

    `task` must be the Task registered for `kind` (passing it lets readers follow the call);
    an unregistered kind is a programming error and raises LookupError.
    """
    registered = task_for(kind)
    if task is not None and task.module_path != registered.module_path:
        raise LookupError(
            f"job kind {kind!r} is registered to {registered.module_path}, not {task.module_path}"
        )
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title[:200], owner=owner, params=params or {}, status=JobStatus.QUEUED
        )
        audit.record(AuditEvent.JOB_STARTED, actor=owner, target=job, description=f"{title}（{kind}）")
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id, registered, task_kwargs))
    return job


def _enqueue(job_id: int, task_obj: Task, task_kwargs: dict[str, Any]) -> None:
    # Runs after commit: a failure here must not surface as an error of the (committed) action.
    try:
        result = task_obj.enqueue(job_id=job_id, **task_kwargs)
    except Exception as exc:
        logger.exception("could not enqueue job %s", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=f"无法加入队列：{exc}"[:ERROR_LIMIT], finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id)[:64])


# --- inside the job body ---------------------------------------------------------------------


def mark_running(job_or_id: Job | int) -> Job:
    job = job_or_id if isinstance(job_or_id, Job) else Job.objects.select_related("owner").get(pk=job_or_id)
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.error = ""
    job.save(update_fields=["status", "started_at", "error", "updated_at"])
    return job


def update_progress(job: Job, done: int, total: int | None = None, *, force: bool = False) -> bool:
    """Record progress; writes at most every PROGRESS_EVERY rows or PROGRESS_SECONDS (True if written)."""
    job.progress_done = max(0, int(done))
    if total is not None:
        job.progress_total = max(0, int(total))
    last_time, last_done = getattr(job, "_progress_mark", (0.0, -PROGRESS_EVERY))
    now = time.monotonic()
    finished = job.progress_total and job.progress_done >= job.progress_total
    if not (force or finished or done - last_done >= PROGRESS_EVERY or now - last_time >= PROGRESS_SECONDS):
        return False
    job._progress_mark = (now, done)  # type: ignore[attr-defined]
    job.save(update_fields=["progress_done", "progress_total", "updated_at"])
    return True


def _clean_line(line: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", str(line)).rstrip()


def append_log(job: Job, line: str) -> None:
    stamp = timezone.localtime().strftime("%H:%M:%S")
    text = job.log + f"{stamp} {_clean_line(line)}\n"
    if len(text) > LOG_LIMIT:
        text = "…（前面的日志已省略）\n" + text[-(LOG_LIMIT - 20) :]
    job.log = text
    job.save(update_fields=["log", "updated_at"])


def result_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / RESULT_DIR


def result_path(job: Job, filename: str) -> Path:
    """Where the job writes its result file: MEDIA_ROOT/jobs/<job id>/<filename>."""
    safe = re.sub(r"[\\/\x00-\x1f]", "_", filename).strip(". ") or "result"
    folder = result_dir() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
    return folder / safe[:120]


def finish_job(
    job: Job, *, result: dict[str, Any] | None = None, result_file: str | Path | None = None
) -> Job:
    fields = ["status", "finished_at", "updated_at"]
    if result is not None:
        job.result = result
        fields.append("result")
    if result_file is not None:
        path = Path(result_file).resolve()
        base = result_dir().resolve()
        if base not in path.parents or not path.is_file():
            raise ValueError(f"result file must be an existing file under {base}")
        os.chmod(path, 0o640)
        job.result_file = str(path.relative_to(base))
        fields.append("result_file")
    if job.progress_total and job.progress_done < job.progress_total:
        job.progress_done = job.progress_total
        fields.append("progress_done")
    job.status = JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.save(update_fields=fields)
    return job


def error_text(error: BaseException | str) -> str:
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    if isinstance(error, BaseException):
        text = str(error)
        # A message written for users (Chinese) is shown as it is; anything else is a bug report.
        if re.search(r"[\u4e00-\u9fff]", text):
            return text
        return (
            f"内部错误（{type(error).__name__}: {text}），请联系系统管理员" if text else type(error).__name__
        )
    return str(error)


def fail_job(job: Job, error: BaseException | str) -> Job:
    job.status = JobStatus.FAILED
    job.error = error_text(error)[:ERROR_LIMIT]
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "error", "finished_at", "progress_done", "progress_total", "updated_at"]
    )
    return job


@contextlib.contextmanager
def job_running(job_id: int) -> Iterator[Job]:
    """Mark the job running, run the body in a "job" audit context, finish or fail it."""
    job = mark_running(job_id)
    with acting(source="job"):
        try:
            yield job
        except BaseException as exc:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            fail_job(job, exc)
            raise
    if job.status == JobStatus.RUNNING:
        finish_job(job)
