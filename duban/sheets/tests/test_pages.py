"""The import pages: upload → preview → confirm, refusals, and the background job for large files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.audit.events import AuditEvent
from duban.jobs.models import Job, JobStatus
from duban.org.models import Unit

from .conftest import UNIT_HEADER, xlsx_bytes
from .helpers import county_units, events

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _upload(client, data: bytes, name: str = "单位.xlsx"):
    return client.post("/sheets/units/import/", {"file": SimpleUploadedFile(name, data, XLSX)})


def _token(response) -> str:
    return response.context["token"]


def test_upload_previews_then_confirm_imports(admin_client):
    """Given a good sheet, the preview shows the counts and writes nothing; confirming imports it all."""
    response = _upload(admin_client, xlsx_bytes([UNIT_HEADER, *county_units()]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "检查通过，尚未导入" in content and "确认导入" in content
    assert response.context["report"].created == 52
    assert not Unit.objects.filter(code="D001").exists()
    response = admin_client.post(f"/sheets/units/import/{_token(response)}/confirm/")
    assert "导入完成" in response.content.decode()
    assert Unit.objects.filter(code__in=["D001", "L001"]).count() == 2
    assert events().count(AuditEvent.IMPORT) == 1


def test_a_preview_with_problems_lists_them_and_offers_no_confirmation(admin_client):
    rows = county_units()
    rows[0][3] = "局"
    response = _upload(admin_client, xlsx_bytes([UNIT_HEADER, *rows]))
    content = response.content.decode()
    assert "检查发现问题，未保存任何数据" in content and "/confirm/" not in content
    assert "应为以下之一" in content


def test_a_renamed_exe_gets_a_clear_answer(admin_client):
    response = _upload(admin_client, b"MZ" + b"\x00" * 100)
    assert response.status_code == 422
    assert "可执行程序" in response.content.decode()


def test_an_oversized_upload_is_refused_from_its_declared_size(admin_client, settings):
    """A 100 MB upload is refused from Content-Length, before its body is read."""
    settings.DUBAN_SHEETS = {"MAX_UPLOAD_MB": 20}
    response = admin_client.generic(
        "POST",
        "/sheets/units/import/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "超过上限 20 MB" in response.content.decode()


def test_an_upload_larger_than_declared_is_stopped_while_reading(admin_client, settings):
    settings.DUBAN_SHEETS = {"MAX_UPLOAD_MB": 1}
    response = _upload(admin_client, b"a,b\n" * 400_000, "big.csv")
    assert response.status_code == 413


def test_another_users_token_finds_nothing(admin_client, client, county):
    from duban.accounts.choices import Role
    from duban.accounts.factories import make_user_with_role

    token = _token(_upload(admin_client, xlsx_bytes([UNIT_HEADER, *county_units()])))
    client.force_login(make_user_with_role(Role.SYSTEM_ADMIN, region=county))
    response = client.post(f"/sheets/units/import/{token}/confirm/")
    assert response.status_code == 410
    assert not Unit.objects.filter(code="D001").exists()


def test_a_large_file_is_checked_and_imported_by_a_background_job(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """Above BACKGROUND_ROWS rows the check and the import run as jobs; the page shows their report."""
    settings.DUBAN_SHEETS = {"BACKGROUND_ROWS": 10}
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin_client, xlsx_bytes([UNIT_HEADER, *county_units()]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/sheets/units/import/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.progress_done == job.progress_total == 52
    assert job.result["created"] == 52 and not job.result["committed"]
    assert not Unit.objects.filter(code="D001").exists()
    page = admin_client.get(response.url)
    token = page.context["token"]
    assert "确认导入" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/sheets/units/import/{token}/confirm/")
    commit_job = Job.objects.latest("pk")
    assert commit_job.status == JobStatus.SUCCEEDED and commit_job.result["committed"]
    assert Unit.objects.filter(code__startswith="D").count() == 44
    assert "导入完成" in admin_client.get(response.url).content.decode()


def test_the_job_page_is_its_owners_only(
    admin_client, client, county, settings, django_capture_on_commit_callbacks
):
    from duban.accounts.choices import Role
    from duban.accounts.factories import make_user_with_role

    settings.DUBAN_SHEETS = {"BACKGROUND_ROWS": 10}
    with django_capture_on_commit_callbacks(execute=True):
        url = _upload(admin_client, xlsx_bytes([UNIT_HEADER, *county_units()])).url
    client.force_login(make_user_with_role(Role.SYSTEM_ADMIN, region=county))
    assert client.get(url).status_code == 404


def test_the_index_lists_the_registers_for_an_administrator(admin_client):
    content = admin_client.get("/sheets/").content.decode()
    assert "/sheets/units/import/" in content and "/sheets/users/export.csv?encoding=gbk" in content


def test_the_upload_still_checks_the_csrf_token(admin, media_root):
    """The upload view reads its own body (to limit its size), yet a forged post is refused."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(
        "/sheets/units/import/",
        {"file": SimpleUploadedFile("u.xlsx", xlsx_bytes([UNIT_HEADER, *county_units()]))},
    )
    assert response.status_code == 403
    assert not list(media_root.glob("sheets/*/*"))  # nothing staged


def test_a_running_import_shows_the_live_progress_and_polls(admin, admin_client):
    """While the job's transaction is open the page reads the progress file the job writes."""
    from duban.sheets import services

    staged = services.stage_upload(
        SimpleUploadedFile("u.xlsx", xlsx_bytes([UNIT_HEADER, *county_units()])), actor=admin
    )
    job = Job.objects.create(
        kind="sheets.import",
        title="导入单位",
        owner=admin,
        status=JobStatus.RUNNING,
        params={"sheet": "units", "token": staged.token, "commit": True},
    )
    services.write_live_progress(staged, 25, 52)
    response = admin_client.get(f"/sheets/units/import/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "25 / 52" in content and 'hx-trigger="every 2s"' in content
    job.refresh_from_db()
    assert job.progress_done == 0  # shown, never saved
