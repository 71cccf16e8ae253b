"""The background import: the same run as the page's, for files above BACKGROUND_ROWS rows.

The job re-reads the staged file and runs the whole import in one transaction (all or
nothing). Its result is the report the preview page shows. Progress is written as the rows
are checked and applied; the rows applied inside the import's transaction become visible
when it ends (the database cannot show another reader a transaction's progress), so the
import page also reads a small progress file the job writes beside the staged upload.
"""

from __future__ import annotations

import time

from django_tasks import task

from duban.jobs.registry import register_job
from duban.jobs.services import append_log, finish_job, job_running, update_progress

from .base import get_sheet
from .services import find_staged, import_staged, write_live_progress

LIVE_EVERY = 1.0  # seconds between writes of the live progress file


@register_job("sheets.import")
@task()
def import_sheet(job_id: int, *, sheet_key: str, token: str, commit: bool) -> None:
    with job_running(job_id) as job:
        sheet = get_sheet(sheet_key)
        staged = find_staged(token, actor=job.owner) if job.owner is not None else None
        if sheet is None or staged is None:
            raise FileNotFoundError("上传的文件已过期或不存在，请重新上传")
        append_log(job, f"读取文件：{staged.filename}")

        last = [0.0]

        def progress(done: int, total: int) -> None:
            update_progress(job, done, total)
            now = time.monotonic()
            if now - last[0] >= LIVE_EVERY or done == total:
                last[0] = now
                write_live_progress(staged, done, total)

        report = import_staged(sheet, staged, actor=job.owner, commit=commit, progress=progress)
        # Progress written inside a rolled-back run is gone with it: record the end state afresh.
        update_progress(job, report.rows, report.rows, force=True)
        append_log(
            job,
            f"共 {report.rows} 行：新增 {report.created}，修改 {report.changed}，"
            f"未变 {report.unchanged}，问题 {report.problem_count}"
            + ("；已全部保存" if report.committed else "；未保存任何数据"),
        )
        finish_job(job, result=report.as_dict())
