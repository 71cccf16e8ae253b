"""Template and exports: notes and drop-downs, neutralised text, GBK, audit, round trip, query count."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.factories import make_unit
from duban.sheets.base import get_sheet
from duban.sheets.files import read_table
from duban.sheets.importing import run_import

from .conftest import UNIT_HEADER
from .helpers import county_units, events, run


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_the_template_has_notes_drop_downs_and_a_frozen_header(admin_client, county):
    response = admin_client.get("/sheets/units/template.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == UNIT_HEADER
    assert sheet.freeze_panes == "A2"
    assert "必填" in sheet["A1"].comment.text and "不超过64个字" in sheet["A1"].comment.text
    assert "部门、镇街、园区、领导机构" in sheet["D1"].comment.text
    assert sheet.max_row == 1  # no example row to be imported by mistake
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert validations["D2"].formula1 == '"部门,镇街,园区,领导机构"'
    assert validations["E2"].formula1.startswith("'选项'!$E$2")  # the regions of the admin's scope
    options = workbook["选项"]
    assert options.sheet_state == "hidden"
    assert {c.value for c in options["E"][1:]} == {"示范县", "城关镇", "河口镇"}
    assert "填写说明" in workbook.sheetnames


def test_export_and_reimport_changes_nothing_and_only_the_summary_is_audited(admin, admin_client, tmp_path):
    """Round trip: export the units (xlsx and csv), import the export: no change, one IMPORT entry each."""
    run(admin, county_units(), tmp_path, commit=True)
    for url, name in (("/sheets/units/export.xlsx", "e.xlsx"), ("/sheets/units/export.csv", "e.csv")):
        response = admin_client.get(url)
        assert response.status_code == 200
        path = tmp_path / name
        path.write_bytes(_body(response))
        before = len(events())
        report = run_import(
            get_sheet("units"), read_table(path, name), actor=admin, filename=name, commit=True
        )
        assert report.ok, report.problems
        assert (report.rows, report.created, report.changed, report.unchanged) == (52, 0, 0, 52)
        assert events()[before:] == [AuditEvent.IMPORT]


def test_exports_are_audited_with_their_filter_and_row_count(admin, admin_client, tmp_path):
    run(admin, county_units(), tmp_path, commit=True)
    response = admin_client.get("/sheets/units/export.csv?kind=town")
    body = _body(response).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == 1 + 2
    entry = AuditEntry.objects.filter(event=AuditEvent.EXPORT).latest("pk")
    assert entry.changes["rows"] == [None, 2]
    assert entry.changes["filters"] == [None, "kind=town"]


def test_text_that_looks_like_a_formula_is_neutralised_and_still_round_trips(
    admin, admin_client, county, tmp_path
):
    name = '=HYPERLINK("http://evil.example","点我")'
    make_unit(name, region=county, code="EVIL")
    xlsx = openpyxl.load_workbook(io.BytesIO(_body(admin_client.get("/sheets/units/export.xlsx"))))
    cells = [row[0] for row in xlsx.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert cells == ["'" + name]
    text = _body(admin_client.get("/sheets/units/export.csv")).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "'" + name
    path = tmp_path / "evil.csv"
    path.write_text(text, encoding="utf-8")
    report = run_import(get_sheet("units"), read_table(path), actor=admin, commit=True)
    assert report.unchanged == 1 and report.changed == 0


def test_csv_is_utf8_with_bom_and_gbk_on_request(admin, admin_client, tmp_path):
    run(admin, county_units()[:3], tmp_path, commit=True)
    utf8 = _body(admin_client.get("/sheets/units/export.csv"))
    assert utf8.startswith(b"\xef\xbb\xbf")
    gbk = admin_client.get("/sheets/units/export.csv?encoding=gbk")
    assert gbk["Content-Type"] == "text/csv; charset=gbk"
    rows = list(csv.reader(io.StringIO(_body(gbk).decode("gbk"))))
    assert rows[0] == UNIT_HEADER and rows[1][0] == "县委办公室"


def test_gbk_refuses_a_character_it_cannot_hold_and_says_which(admin_client, county):
    make_unit("𠮷祥镇便民服务中心", region=county, code="RARE")
    response = admin_client.get("/sheets/units/export.csv?encoding=gbk")
    assert response.status_code == 422
    text = response.content.decode()
    assert "第2行“单位名称”中的字符“𠮷”无法用 GBK 编码保存" in text
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()


def test_exports_are_for_administrators_and_show_only_their_scope(admin, client, county, tmp_path):
    run(admin, county_units()[:2], tmp_path, commit=True)
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit(region=county))
    client.force_login(liaison)
    assert client.get("/sheets/units/export.csv").status_code == 404
    assert client.get("/sheets/units/template.xlsx").status_code == 404
    other = make_user_with_role(Role.SYSTEM_ADMIN)  # the administrator of another county
    client.force_login(other)
    rows = list(csv.reader(io.StringIO(_body(client.get("/sheets/units/export.csv")).decode("utf-8-sig"))))
    assert rows[0] == UNIT_HEADER
    assert {row[2] for row in rows[1:]} == {other.unit.code}  # their own county's unit, none of ours


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_runs_the_same_queries_for_10_and_60_units(admin, admin_client, county, fmt):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client.get(f"/sheets/units/export.{fmt}")
            _body(response)
        return len(ctx.captured_queries)

    for i in range(10):
        make_unit(region=county, code=f"Q{i}")
    small = count_queries()
    for i in range(10, 60):
        make_unit(region=county, code=f"Q{i}")
    assert count_queries() == small


def test_a_filled_in_template_imports(admin, admin_client, tmp_path):
    """Given the downloaded template with two rows typed in, when imported, then both units exist."""
    workbook = openpyxl.load_workbook(io.BytesIO(_body(admin_client.get("/sheets/units/template.xlsx"))))
    sheet = workbook.worksheets[0]
    sheet.append(["县商务局", "商务局", "SWJ", "部门", "示范县", None, 1])
    sheet.append(["城关镇人民政府", "", "CGZ", "镇街", "TOWN01", None, None])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    report = run_import(get_sheet("units"), read_table(path), actor=admin, commit=True)
    assert report.ok and report.created == 2, report.problems


def test_the_export_links_partial_keeps_the_filter(rf):
    from django.template.loader import render_to_string

    html = render_to_string("sheets/partials/export_links.html", {"sheet_key": "units", "query": "kind=town"})
    assert "/sheets/units/export.xlsx?kind=town" in html
    assert "/sheets/units/export.csv?kind=town&amp;encoding=gbk" in html
