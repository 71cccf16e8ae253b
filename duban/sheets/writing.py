"""Writing sheets: the fill-in template, and exports as .xlsx, UTF-8 CSV (with BOM) or GBK CSV.

Every text cell goes through `duban.core.cells.neutralise` (formula injection); numbers stay
numbers and dates stay dates. Exports read the queryset with `iterator()`, so memory and
the number of queries do not grow with the rows. GBK cannot encode every character (rare
name characters such as 𠮷, emoji): a GBK export that meets one is refused with the row and
the character, and the user is pointed to UTF-8 CSV or Excel; nothing is silently replaced.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from duban.core.cells import neutralise

from .base import Sheet
from .columns import Column, to_text
from .files import column_letter, limit

HEADER_FILL = PatternFill("solid", fgColor="EEF2F6")
REQUIRED_FONT = Font(bold=True, color="C62828")
OPTIONAL_FONT = Font(bold=True)
LOOKUP_OPTIONS_LIMIT = 5000
INLINE_LIST_LIMIT = 250  # Excel's limit for a list written into the validation itself is 255 characters
ITERATOR_CHUNK = 2000


class ExportRefused(Exception):
    """The export cannot be produced as asked; the message (Chinese) says why and what to do."""


def cell_value(value: Any) -> Any:
    """A value as it goes into a cell: numbers and dates as such, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | Decimal | datetime.date):
        return value
    return neutralise(str(value))


def export_rows(sheet: Sheet, qs: QuerySet) -> Iterator[list[Any]]:
    for obj in qs.iterator(chunk_size=ITERATOR_CHUNK):
        yield [cell_value(sheet.export_value(column, obj)) for column in sheet.columns]


# --- the template -----------------------------------------------------------------------------


def write_template(sheet: Sheet, user, path: Path) -> None:
    """An empty sheet to fill in: notes on every header, drop-downs, frozen header, a guide sheet."""
    workbook = Workbook()
    data = workbook.active
    data.title = str(sheet.title)[:31]
    options = workbook.create_sheet(_("选项"))
    options.sheet_state = "hidden"
    last_row = limit("MAX_ROWS") + 1
    for index, column in enumerate(sheet.columns):
        letter = column_letter(index)
        cell = data.cell(row=1, column=index + 1, value=column.header)
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        note = column.describe()
        cell.comment = Comment(note, "duban", width=260, height=40 + 18 * note.count("\n"))
        data.column_dimensions[letter].width = column.width
        if column.value_type is str and column.choices is None:
            # Text columns stay text: a code "001" keeps its zeros, a phone number its digits.
            data.column_dimensions[letter].number_format = "@"
        validation = _validation(column, index, user, options)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{last_row}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    _write_guide(workbook, sheet)
    workbook.save(path)


def _validation(column: Column, index: int, user, options) -> DataValidation | None:
    if column.choices is not None:
        labels = [str(label) for label in column.choices.labels]
        formula = '"' + ",".join(labels) + '"'
        if len(formula) <= INLINE_LIST_LIMIT:
            return DataValidation(
                type="list",
                formula1=formula,
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("无效的值"),
                error=_("请从下拉列表中选择"),
            )
        return _options_validation(column, index, labels, options, strict=True)
    if column.lookup is not None:
        qs = column.lookup.queryset(user)[:LOOKUP_OPTIONS_LIMIT]
        names = sorted({str(getattr(obj, column.lookup.display)) for obj in qs})
        # A warning only: the user may type a code instead of picking a name.
        return _options_validation(column, index, names, options, strict=False) if names else None
    if column.value_type is datetime.date:
        return DataValidation(
            type="date",
            operator="greaterThan",
            formula1="1",
            allow_blank=True,
            errorStyle="warning",
            error=_("请填写日期，如 2026-11-28"),
        )
    return None


def _options_validation(column: Column, index: int, names: list[str], options, *, strict: bool):
    letter = column_letter(index)
    options.cell(row=1, column=index + 1, value=column.header)
    for row, name in enumerate(names, start=2):
        options.cell(row=row, column=index + 1, value=neutralise(name))
    return DataValidation(
        type="list",
        formula1=f"'{options.title}'!${letter}$2:${letter}${len(names) + 1}",
        allow_blank=not column.required,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        error=_("请从下拉列表中选择") if strict else _("不在列表中；如填写的是代码，可以继续"),
    )


def _write_guide(workbook: Workbook, sheet: Sheet) -> None:
    guide = workbook.create_sheet(_("填写说明"))
    guide.append([_("列名"), _("是否必填"), _("说明"), _("示例")])
    for cell in guide[1]:
        cell.font = OPTIONAL_FONT
        cell.fill = HEADER_FILL
    for column in sheet.columns:
        guide.append(
            [
                column.header,
                _("必填") if column.required else _("选填"),
                column.describe().replace("\n", "；"),
                neutralise(column.example),
            ]
        )
    guide.append([])
    guide.append([_("第一行是表头，请勿修改；从第二行起每行一条记录。红色表头为必填列。")])
    guide.append([_("请勿使用公式和合并单元格；需要时请“选择性粘贴 → 数值”。")])
    if sheet.help:
        guide.append([str(sheet.help)])
    for letter, width in zip("ABCD", (18, 10, 70, 24), strict=True):
        guide.column_dimensions[letter].width = width


# --- exports ---------------------------------------------------------------------------------


def write_xlsx(sheet: Sheet, qs: QuerySet, path: Path) -> int:
    """Write the rows to `path` in openpyxl's write-only (streaming) mode; return the row count."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(str(sheet.title)[:31])
    data.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns):
        data.column_dimensions[column_letter(index)].width = column.width
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(data, value=column.header)
        cell.font = OPTIONAL_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    data.append(header)
    count = 0
    for row in export_rows(sheet, qs):
        data.append(row)
        count += 1
    workbook.save(path)
    return count


def _csv_text(row: Iterable[Any]) -> list[str]:
    return [v if isinstance(v, str) else to_text(v) for v in row]


def csv_chunks(sheet: Sheet, qs: QuerySet, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel opens it as UTF-8), produced as it is read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    yield "\ufeff".encode() + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(export_rows(sheet, qs), 1):
        writer.writerow(_csv_text(row))
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_gbk_csv(sheet: Sheet, qs: QuerySet, path: Path) -> int:
    """GBK CSV for older PCs; ExportRefused naming the first character GBK cannot hold."""
    with path.open("w", encoding="gbk", errors="strict", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([c.header for c in sheet.columns])
        count = 0
        for count, row in enumerate(export_rows(sheet, qs), 1):
            values = _csv_text(row)
            try:
                writer.writerow(values)
            except UnicodeEncodeError:
                raise ExportRefused(_gbk_message(sheet, count + 1, values)) from None
    return count


def _gbk_message(sheet: Sheet, line: int, values: list[str]) -> str:
    for column, value in zip(sheet.columns, values, strict=True):
        for char in value:
            try:
                char.encode("gbk")
            except UnicodeEncodeError:
                return _(
                    "第%(line)d行“%(col)s”中的字符“%(char)s”无法用 GBK 编码保存，已停止导出。"
                    "请改为导出 Excel 或 UTF-8 CSV（Excel 2016 及以上、WPS 均可直接打开）。"
                ) % {"line": line, "col": column.header, "char": char}
    return _("有字符无法用 GBK 编码保存，请改为导出 Excel 或 UTF-8 CSV。")


def temp_path(suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(prefix="duban-sheet-", suffix=suffix, delete=False)
    handle.close()
    return Path(handle.name)
