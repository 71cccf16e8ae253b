"""My background jobs pages: owner only, polled while running, result file download."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.jobs import services
from duban.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def _job(owner, **values) -> Job:
    return Job.objects.create(kind="tests.kind", title=values.pop("title", "导出单位"), owner=owner, **values)


def _liaison_client(client):
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    client.force_login(liaison)
    return liaison


def test_list_shows_my_jobs_only(client):
    me = _liaison_client(client)
    _job(me, title="我的导入")
    _job(make_user_with_role(Role.UNIT_LIAISON), title="别人的导入")
    page = client.get(reverse("jobs:list")).content.decode()
    assert "我的导入" in page and "别人的导入" not in page


def test_someone_elses_job_and_its_file_are_404(client, media_root):
    other = make_user_with_role(Role.UNIT_LIAISON)
    job = _job(other, status=JobStatus.RUNNING)
    path = services.result_path(job, "结果.csv")
    path.write_text("秘密")
    services.finish_job(job, result_file=path)
    _liaison_client(client)
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_owner_downloads_the_result_file_as_attachment(client, media_root):
    me = _liaison_client(client)
    job = _job(me, status=JobStatus.RUNNING)
    path = services.result_path(job, "单位导出.csv")
    path.write_bytes("名称\n发改局\n".encode())
    services.finish_job(job, result={"行数": 1}, result_file=path)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "名称\n发改局\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


def test_a_missing_result_file_is_404_not_500(client, media_root):
    me = _liaison_client(client)
    job = _job(me, status=JobStatus.SUCCEEDED, result_file="999/gone.csv")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    job.result_file = "../../etc/passwd"
    job.save(update_fields=["result_file"])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_status_partial_polls_while_running_and_stops_when_done(client):
    me = _liaison_client(client)
    job = _job(me, status=JobStatus.RUNNING, progress_done=40, progress_total=100)
    running = client.get(reverse("jobs:status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in running and 'value="40"' in running and "<html" not in running
    job.status = JobStatus.FAILED
    job.error = "第3行：单位名称不能为空"
    job.save()
    failed = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in failed and "第3行：单位名称不能为空" in failed


@pytest.mark.parametrize("path", ["jobs:list", "jobs:detail"])
def test_query_count_does_not_grow_with_jobs(client, path):
    me = _liaison_client(client)
    first = _job(me)

    def count() -> int:
        url = reverse(path, args=[first.pk]) if path == "jobs:detail" else reverse(path)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(25):
        _job(me, title=f"任务{i}", status=JobStatus.SUCCEEDED, result_file=f"{i}/r.csv", log="x\n" * 50)
    assert count() == small
