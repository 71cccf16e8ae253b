"""Building sheets for the tests and running the import on them."""

from duban.audit.models import AuditEntry
from duban.sheets.base import get_sheet
from duban.sheets.files import read_table
from duban.sheets.importing import run_import

from .conftest import UNIT_HEADER, xlsx_bytes

DEPARTMENTS = [
    "县委办公室",
    "县政府办公室",
    "县发展和改革局",
    "县教育局",
    "县科技局",
    "县工业和信息化局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县生态环境分局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文化和旅游局",
    "县卫生健康委员会",
    "县退役军人事务局",
    "县应急管理局",
    "县审计局",
    "县市场监督管理局",
    "县统计局",
    "县医疗保障局",
    "县林业局",
    "县信访局",
    "县行政审批服务局",
    "县大数据中心",
    "县供销社",
    "县融媒体中心",
    "县委组织部",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县纪委监委",
    "县委督查室",
    "县总工会",
    "团县委",
    "县妇联",
    "县工商联",
    "县税务局",
    "县气象局",
]
TOWNS = ["城关镇", "河口镇"]


def county_units() -> list[list]:
    """The county's 52 units: 44 departments, 2 towns' governments, 6 parks and bodies."""
    rows = [[name, "", f"D{i:03d}", "部门", "示范县", "", i] for i, name in enumerate(DEPARTMENTS, 1)]
    rows += [[f"{town}人民政府", town, f"T{i:03d}", "镇街", town, "", i] for i, town in enumerate(TOWNS, 1)]
    rows += [[f"第{i}产业园区管委会", f"{i}园", f"P{i:03d}", "园区", "示范县", "", i] for i in range(1, 6)]
    rows += [["县委县政府", "", "L001", "领导机构", "示范县", "", 0]]
    assert len(rows) == 52
    return rows


def run(actor, rows, tmp_path, *, commit=False, header=UNIT_HEADER, sheet="units", name="units.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes([header, *rows]))
    return run_import(get_sheet(sheet), read_table(path, name), actor=actor, filename=name, commit=commit)


def events() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("event", flat=True))
