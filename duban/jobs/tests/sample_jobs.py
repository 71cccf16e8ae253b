"""A job body used by the tests: creates units through the same service as the web."""

from __future__ import annotations

from django_tasks import task

from duban.jobs.services import append_log, job_running, result_path, update_progress
from duban.org.choices import UnitKind
from duban.org.models import Region
from duban.org.services import create_unit

SAMPLE_KIND = "tests.create_units"


@task()
def create_units(job_id: int, *, region_id: int, names: list[str], fail_at: int | None = None) -> None:
    with job_running(job_id) as job:
        region = Region.objects.get(pk=region_id)
        append_log(job, f"开始创建 {len(names)} 个单位")
        for i, name in enumerate(names, 1):
            if i == fail_at:
                raise ValueError(f"第{i}行出错")
            create_unit(
                actor=job.owner, name=name, code=f"J{job_id}-{i}", kind=UnitKind.DEPARTMENT, region=region
            )
            update_progress(job, i, len(names))
        path = result_path(job, "结果.csv")
        path.write_text("\n".join(names), encoding="utf-8")
        from duban.jobs.services import finish_job

        finish_job(job, result={"created": len(names)}, result_file=path)
