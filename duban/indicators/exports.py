"""Excel files of the module: the board export and a unit's report template (openpyxl).

Every text cell goes through duban.core.cells.neutralise; figures stay numbers. Each export
writes one EXPORT audit entry with the filters and the row count.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from duban import audit
from duban.audit.events import AuditEvent
from duban.core.cells import neutralise

from .board import BoardRow
from .deadlines import ReportState

BOARD_HEADERS = [
    "指标",
    "类别",
    "计量单位",
    "期别",
    "年度目标",
    "实际",
    "完成率(%)",
    "时序进度",
    "全市位次",
    "参与排名县数",
    "较上期升降",
    "较上年同期升降",
    "得分",
    "位次靠后",
    "责任单位",
    "分管领导",
]
TEMPLATE_HEADERS = [
    "指标代码",
    "指标名称",
    "计量单位",
    "期别",
    "本期值",
    "上年同期值",
    "情况说明",
    "报送截止",
]


def _book(headers: list[str], widths: dict[int, int] | None = None):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in (widths or {}).items():
        sheet.column_dimensions[chr(65 + index)].width = width
    return book, sheet


def _bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _record(actor, what: str, filters: dict, rows: int) -> None:
    with transaction.atomic():
        audit.record(
            AuditEvent.EXPORT,
            actor=actor,
            description=what,
            changes={
                "sheet": [None, what],
                "format": [None, "xlsx"],
                "filters": [None, urlencode(sorted(filters.items()))],
                "rows": [None, rows],
            },
        )


def board_workbook(rows: list[BoardRow], *, actor, filters: dict) -> bytes:
    book, sheet = _book(BOARD_HEADERS, {0: 28, 3: 14, 7: 22, 14: 16})
    sheet.title = _("考核指标看板")
    for r in rows:
        ind = r.indicator
        sheet.append(
            [
                neutralise(ind.name),
                str(ind.get_group_display()),
                neutralise(ind.unit_of_measure),
                r.period.label,
                r.progress.target,
                r.progress.actual,
                r.progress.completion,
                neutralise(r.progress.light.reason),
                r.place,
                r.peers or None,
                r.change_prev,
                r.change_year,
                r.score,
                "是" if r.lagging else "",
                neutralise(ind.owner_unit.name),
                neutralise(ind.leader_in_charge.display_name) if ind.leader_in_charge else "",
            ]
        )
    _record(actor, _("考核指标看板"), filters, len(rows))
    return _bytes(book)


def report_template(unit_name: str, states: list[ReportState], *, actor) -> bytes:
    """One row per owned indicator for its latest closed period: the unit fills in the figures."""
    book, sheet = _book(TEMPLATE_HEADERS, {1: 28, 3: 14, 6: 40, 7: 14})
    sheet.title = _("指标填报")
    sheet["E1"].comment = Comment(_("只填数字（半角），不带单位，最多4位小数"), "duban")
    sheet["F1"].comment = Comment(_("同比增速指标必填"), "duban")
    for state in states:
        ind = state.indicator
        sheet.append(
            [
                neutralise(ind.code),
                neutralise(ind.name),
                neutralise(ind.unit_of_measure),
                state.period.code,
                None,
                None,
                None,
                state.due,
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = "yyyy-mm-dd"
    _record(actor, _("%(u)s指标填报模板") % {"u": unit_name}, {}, len(states))
    return _bytes(book)
