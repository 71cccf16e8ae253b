"""The register through duban.sheets: export follows the register's filters and the policy, the
export re-imports unchanged, an import creates and edits through the services, all or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects.factories import County, make_project
from duban.projects.models import Project
from duban.sheets.base import get_sheet
from duban.sheets.files import read_table
from duban.sheets.importing import run_import

pytestmark = pytest.mark.django_db

HEADER = [
    "项目编号", "项目名称", "项目类别", "项目级别", "所在镇街园区", "牵头单位", "分管领导账号",
    "总投资(万元)", "计划年度", "年度计划投资(万元)", "计划开工", "计划竣工",
]  # fmt: skip


@pytest.fixture
def county():
    return County()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(actor, rows, tmp_path, commit=True, header=HEADER):
    path = tmp_path / "projects.xlsx"
    path.write_bytes(workbook([header, *rows]))
    table = read_table(path, "projects.xlsx")
    return run_import(get_sheet("projects"), table, actor=actor, filename="projects.xlsx", commit=commit)


def row(county, code="", name="农产品冷链物流中心", **kw):
    values = {
        "category": "现代服务业",
        "level": "县级重点项目",
        "location": county.town.code,
        "lead": county.dept.code,
        "leader": county.leader.username,
        "total": 30000,
        "year": 2026,
        "plan": 8000,
        "start": datetime.date(2026, 3, 1),
        "end": datetime.date(2027, 5, 31),
    }
    values.update(kw)
    return [code, name, *values.values()]


def test_the_office_imports_new_and_edited_projects(county, tmp_path):
    existing = make_project(county, name="旧名称")
    report = run(
        county.office,
        [row(county), row(county, code=existing.code, name="县人民医院新院区", category="社会事业")],
        tmp_path,
    )
    assert report.ok and report.committed, report.problems
    assert (report.created, report.changed) == (1, 1)
    new = Project.objects.get(name="农产品冷链物流中心")
    assert new.code.startswith(county.region.code) and new.milestones.count() == 6
    existing.refresh_from_db()
    assert (existing.name, existing.category) == ("县人民医院新院区", "social")
    assert AuditEntry.objects.filter(event=AuditEvent.IMPORT).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.PROJECT_CHANGED, target_id=str(existing.pk)).exists()


def test_a_bad_row_saves_nothing_and_is_named(county, tmp_path):
    rows = [
        row(county),
        row(county, name="污水处理厂提标改造", end=datetime.date(2026, 1, 1)),
        row(county, name="x", total=-5),
    ]
    report = run(county.office, rows, tmp_path)
    assert not report.committed
    messages = " ".join(p.message for p in report.problems)
    assert "计划竣工日期不能早于计划开工日期" in messages
    assert not Project.objects.exists()


def test_a_liaison_imports_only_for_its_own_unit(county, tmp_path):
    report = run(county.lead_liaison, [row(county, lead=county.other_dept.code)], tmp_path)
    assert not report.committed and "找不到牵头单位" in report.problems[0].message
    assert run(county.lead_liaison, [row(county)], tmp_path).committed


def test_the_export_follows_the_filter_and_reimports_unchanged(client, county, tmp_path):
    make_project(county, name="A项目", level="city_showcase")
    make_project(county, name="B项目", level="county_key")
    make_project(County(), name="外县项目")
    client.force_login(county.office)
    response = client.get("/sheets/projects/export.xlsx?level=city_showcase")
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    names = [r[1] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["A项目"]
    entry = AuditEntry.objects.filter(event=AuditEvent.EXPORT).latest("pk")
    assert entry.changes["filters"] == [None, "level=city_showcase"]

    path = tmp_path / "all.xlsx"
    path.write_bytes(body(client.get("/sheets/projects/export.xlsx")))
    report = run_import(
        get_sheet("projects"),
        read_table(path, "all.xlsx"),
        actor=county.office,
        filename="all.xlsx",
        commit=True,
    )
    assert report.ok, report.problems
    assert (report.rows, report.created, report.changed, report.unchanged) == (2, 0, 0, 2)


def test_the_template_and_the_register_links(client, county):
    client.force_login(county.office)
    assert client.get("/sheets/projects/template.xlsx").status_code == 200
    html = client.get("/projects/").content.decode()
    assert "/sheets/projects/export.xlsx" in html and "/sheets/projects/import/" in html


def test_the_export_query_count_does_not_grow(client, county):
    make_project(county)
    client.force_login(county.office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body(client.get("/sheets/projects/export.xlsx"))
        return len(ctx.captured_queries)

    count()
    small = count()
    for _ in range(5):
        make_project(county)
    assert count() == small
