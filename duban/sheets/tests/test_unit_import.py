"""An administrator imports the county's units: preview, all-or-nothing commit, re-import."""

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.org.factories import make_county, make_unit
from duban.org.models import Unit

from .conftest import UNIT_HEADER
from .helpers import county_units, events, run


def test_an_administrator_imports_the_countys_52_units(admin, tmp_path):
    """Given the county's 52 units in a sheet, when committed, then 52 units exist, each audited, plus one summary."""
    before = len(events())
    report = run(admin, county_units(), tmp_path, commit=True)
    assert report.ok and report.committed
    assert (report.created, report.changed, report.unchanged) == (52, 0, 0)
    assert Unit.objects.filter(region__path__startswith=admin.grants.get().region.path).count() == 52
    assert Unit.objects.get(code="T001").region.name == "城关镇"
    new = events()[before:]
    assert new.count(AuditEvent.UNIT_CREATED) == 52
    assert new[-1] == AuditEvent.IMPORT and new.count(AuditEvent.IMPORT) == 1


def test_the_preview_writes_nothing(admin, tmp_path):
    before = len(events())
    report = run(admin, county_units(), tmp_path, commit=False)
    assert report.ok and not report.committed and report.created == 52
    assert not Unit.objects.filter(code="D001").exists()
    assert len(events()) == before


def test_one_bad_row_means_nothing_is_written_and_every_bad_cell_is_listed(admin, tmp_path):
    """Given 52 rows where two cells are bad, when committed, then nothing is saved and both are listed."""
    rows = county_units()
    rows[9][3] = "局"  # row 11 in Excel: unknown kind
    rows[30][4] = "不存在镇"  # row 32: unknown region
    before = len(events())
    report = run(admin, rows, tmp_path, commit=True)
    assert not report.committed and report.problem_count == 2
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (11, "类型", "局"),
        (32, "所在区划", "不存在镇"),
    ]
    assert "应为以下之一" in report.problems[0].message
    assert "找不到区划“不存在镇”" in report.problems[1].message
    assert not Unit.objects.filter(code__in=["D001", "D002"]).exists()
    assert len(events()) == before


def test_what_only_the_service_knows_is_found_in_the_preview(admin, tmp_path):
    """Two new units with the same name in one region: the service refuses the second; nothing is saved."""
    rows = [["县商务局", "", "A1", "部门", "示范县", "", 1], ["县商务局", "", "A2", "部门", "示范县", "", 2]]
    report = run(admin, rows, tmp_path, commit=True)
    assert not report.committed and report.problem_count == 1
    assert report.problems[0].row == 3
    assert not Unit.objects.filter(code__in=["A1", "A2"]).exists()


def test_duplicate_rows_are_reported_with_the_first_row(admin, tmp_path):
    rows = [
        ["县商务局", "", "A1", "部门", "示范县", "", 1],
        ["县统计局", "", "Ａ１ ", "部门", "示范县", "", 2],
    ]
    report = run(admin, rows, tmp_path)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (3, "单位代码", "与第2行重复（单位代码相同）")
    ]


def test_wrong_headers_name_the_unknown_and_the_missing(admin, tmp_path):
    header = ["单位名", "单位代码", "类型", "所在区划", "备注"]
    report = run(admin, [["县商务局", "A1", "部门", "示范县", "x"]], tmp_path, header=header)
    messages = [p.message for p in report.problems]
    assert messages == ["无法识别的表头：单位名、备注", "缺少必填的列：单位名称"]


def test_a_cell_without_a_header_is_reported(admin, tmp_path):
    header = [*UNIT_HEADER, ""]
    report = run(admin, [["县商务局", "", "A1", "部门", "示范县", "", 1, "多余"]], tmp_path, header=header)
    assert [(p.row, p.column, p.value) for p in report.problems] == [(2, "H", "多余")]


def test_reimporting_changes_only_what_differs(admin, tmp_path):
    """Given imported units, when one row changes, then one update is audited and the rest are unchanged."""
    run(admin, county_units(), tmp_path, commit=True)
    before = len(events())
    rows = county_units()
    rows[0][1] = "县委办"
    report = run(admin, rows, tmp_path, commit=True)
    assert (report.created, report.changed, report.unchanged) == (0, 1, 51)
    assert Unit.objects.get(code="D001").short_name == "县委办"
    assert events()[before:] == [AuditEvent.UNIT_CHANGED, AuditEvent.IMPORT]


def test_a_code_used_outside_the_administrators_scope_is_refused(admin, tmp_path):
    other = make_unit("外县商务局", region=make_county("外县"), code="X1")
    report = run(admin, [["县商务局", "", "X1", "部门", "示范县", "", 1]], tmp_path, commit=True)
    assert "不在您的管理范围内" in report.problems[0].message
    other.refresh_from_db()
    assert other.name == "外县商务局"


def test_a_region_may_be_named_by_code_and_an_ambiguous_name_asks_for_the_code(admin, county, tmp_path):
    """Given an administrator of the city with two towns named 城关镇, the name alone is refused."""
    from duban.accounts.services import grant_role
    from duban.org.choices import RegionLevel
    from duban.org.factories import make_region

    make_region("城关镇", level=RegionLevel.TOWN, parent=make_county("新县"), code="DUP")
    grant_role(actor=None, user=admin, role=Role.SYSTEM_ADMIN, region=county.parent, check_access=False)
    rows = [["甲", "", "A1", "部门", "TOWN02", "", 1], ["乙", "", "A2", "部门", "城关镇", "", 2]]
    report = run(admin, rows, tmp_path)
    assert report.problem_count == 1
    assert "请改填代码（DUP、TOWN01）" in report.problems[0].message


def test_a_business_user_cannot_import(county, tmp_path):
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit(region=county))
    report = run(liaison, [["县商务局", "", "A1", "部门", "示范县", "", 1]], tmp_path, commit=True)
    assert not report.committed
    assert "找不到区划" in report.problems[0].message
