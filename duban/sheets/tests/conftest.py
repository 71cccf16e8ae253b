import io

import openpyxl
import pytest

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.choices import RegionLevel
from duban.org.factories import make_county, make_region


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Staged uploads go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def county(db):
    county = make_county("示范县")
    make_region("城关镇", level=RegionLevel.TOWN, parent=county, code="TOWN01")
    make_region("河口镇", level=RegionLevel.TOWN, parent=county, code="TOWN02")
    return county


@pytest.fixture
def admin(county):
    return make_user_with_role(Role.SYSTEM_ADMIN, region=county)


def xlsx_bytes(rows, *, merge: str = "", formula_cell: str = "") -> bytes:
    """A workbook with `rows` on its first sheet (optionally a merged range or a formula)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula_cell:
        sheet[formula_cell] = "=1+2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


UNIT_HEADER = ["单位名称", "简称", "单位代码", "类型", "所在区划", "分管领导账号", "排序"]
