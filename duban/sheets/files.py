"""Reading an uploaded spreadsheet: what it really is, whether it is safe, and its cells.

A file is judged by its content, never its name: an .xlsx is a zip holding xl/workbook.xml,
an .xls is an OLE2 compound file, a .csv is text (UTF-8, with or without BOM, or GBK/GB18030).
Anything else (a renamed .exe, a Word file, a zip of photos) is refused with a message.

For .xlsx the sheet's XML is also scanned for formulas (refused: calamine would give their
cached values, which may be stale, and a formula is not data) and merged cells (refused: a
merged cell has its value in one corner only). An .xls is read as it stands (its formulas
cannot be detected; their last computed values are used).
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KNOWN_BINARIES = {
    b"MZ": "可执行程序",
    b"\x7fELF": "可执行程序",
    b"%PDF": "PDF 文档",
    b"\x89PNG": "图片",
    b"\xff\xd8\xff": "图片",
    b"Rar!": "压缩包",
    b"7z\xbc\xaf": "压缩包",
    b"\x1f\x8b": "压缩包",
}
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

DEFAULTS = {
    "MAX_UPLOAD_MB": 20,
    "MAX_ROWS": 100_000,
    "BACKGROUND_ROWS": 2_000,
    "MAX_UNZIPPED_MB": 400,
}


def limit(name: str) -> int:
    """A limit from settings.DUBAN_SHEETS (see docs/sheets.md), else the default."""
    return int(getattr(settings, "DUBAN_SHEETS", {}).get(name, DEFAULTS[name]))


def max_upload_bytes() -> int:
    return limit("MAX_UPLOAD_MB") * 1024 * 1024


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message (Chinese) says why and what to do."""


@dataclass
class Table:
    """The cells of the first worksheet: a header row and data rows with Excel's row numbers."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]
    kind: str  # xlsx | xls | csv
    sheet_name: str = ""


def sniff(head: bytes, name: str = "") -> str:
    """The kind of file from its first bytes: xlsx, xls or csv; FileRefused otherwise."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    for magic, what in KNOWN_BINARIES.items():
        if head.startswith(magic):
            raise FileRefused(
                _("文件“%(name)s”的内容是%(what)s，不是表格文件，已拒绝。请上传 .xlsx、.xls 或 .csv 文件。")
                % {"name": name, "what": what}
            )
    if b"\x00" in head:
        raise FileRefused(
            _("无法识别文件“%(name)s”的格式。请上传 .xlsx、.xls 或 .csv 文件。") % {"name": name}
        )
    return "csv"


def read_table(path: Path, name: str = "") -> Table:
    """Read the first worksheet of the file at `path` (size already checked by the caller)."""
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise FileRefused(too_big_message(size))
    if size == 0:
        raise FileRefused(_("文件是空的。"))
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = sniff(head, name)
    if kind == "csv":
        return _read_csv(path.read_bytes())
    if kind == "zip":
        _check_xlsx(path)
        return _read_calamine(path, "xlsx")
    return _read_calamine(path, "xls")


def too_big_message(size: int) -> str:
    return _("文件大小 %(size).1f MB，超过上限 %(limit)d MB。请拆分后分批导入。") % {
        "size": size / 1024 / 1024,
        "limit": limit("MAX_UPLOAD_MB"),
    }


# --- xlsx: a zip whose first worksheet we inspect before calamine reads it --------------------


def _check_xlsx(path: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileRefused(_("文件已损坏，无法作为 Excel 工作簿打开。")) from None
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise FileRefused(_("这是一个压缩包或其他 Office 文档，不是 Excel 工作簿（.xlsx）。"))
        unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > limit("MAX_UNZIPPED_MB") * 1024 * 1024:
            raise FileRefused(_("工作簿解压后过大（疑似压缩炸弹），已拒绝。"))
        sheet_part = _first_sheet_part(archive)
        if sheet_part not in names:
            raise FileRefused(_("工作簿中没有工作表。"))
        _refuse_formulas(archive, sheet_part)


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip path of the first worksheet, following workbook.xml and its relationships."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 (size checked above, no DTDs in xlsx)
    first = workbook.find(f"{{{NS_MAIN}}}sheets/{{{NS_MAIN}}}sheet")
    if first is None:
        raise FileRefused(_("工作簿中没有工作表。"))
    rel_id = first.get(f"{{{NS_REL}}}id")
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for rel in rels.findall(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise FileRefused(_("工作簿结构不完整，无法找到第一个工作表。"))


def _refuse_formulas(archive: zipfile.ZipFile, part: str) -> None:
    data = archive.read(part)
    if not FORMULA_TAG.search(data):
        return  # the common case: one regex pass, no XML parsing
    cells = []
    for _event, element in ET.iterparse(io.BytesIO(data)):  # noqa: S314
        if element.tag == f"{{{NS_MAIN}}}c":
            if element.find(f"{{{NS_MAIN}}}f") is not None:
                cells.append(element.get("r", "?"))
            element.clear()
    if cells:
        shown = "、".join(cells[:10]) + ("等" if len(cells) > 10 else "")
        raise FileRefused(
            _(
                "单元格 %(cells)s 含有公式（共 %(n)d 个）。请复制这些单元格，用“选择性粘贴 → 数值”替换公式后再导入。"
            )
            % {"cells": shown, "n": len(cells)}
        )


# --- reading cells ---------------------------------------------------------------------------


def _read_calamine(path: Path, kind: str) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRefused(_("无法读取该工作簿（可能已加密或已损坏）：%(e)s") % {"e": exc}) from None
    if merged:
        raise FileRefused(_merged_message(merged))
    return _table(cells, kind, sheet.name, first_row=1)


def _merged_message(merged: list) -> str:
    shown = "、".join(_range_name(start, end) for start, end in merged[:5])
    return _(
        "工作表中有合并单元格（%(ranges)s）。合并单元格只有左上角有值，请取消合并、每格填上值后再导入。"
    ) % {"ranges": shown + ("等" if len(merged) > 5 else "")}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _range_name(start: tuple[int, int], end: tuple[int, int]) -> str:
    return f"{column_letter(start[1])}{start[0] + 1}:{column_letter(end[1])}{end[0] + 1}"


def _read_csv(data: bytes) -> Table:
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.decode(data, encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise FileRefused(
            _("无法识别 CSV 文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel 文件。")
        )
    try:
        cells = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise FileRefused(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from None
    return _table(cells, "csv", "", first_row=1)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(" \t\r\n\u3000\u00a0\ufeff"))


def _table(cells: list[list[Any]], kind: str, sheet_name: str, first_row: int) -> Table:
    """Header = the first non-blank row; data rows keep the row number Excel shows."""
    numbered = [(first_row + i, row) for i, row in enumerate(cells) if not all(_blank(v) for v in row)]
    if not numbered:
        raise FileRefused(_("工作表是空的：没有表头，也没有数据。请使用下载的模板填写。"))
    header_row, header = numbered[0]
    if len(numbered) == 1:
        raise FileRefused(_("工作表只有表头（第%(row)d行），没有数据行。") % {"row": header_row})
    if len(numbered) - 1 > limit("MAX_ROWS"):
        raise FileRefused(
            _("数据有 %(n)d 行，超过单次导入上限 %(limit)d 行，请拆分后分批导入。")
            % {"n": len(numbered) - 1, "limit": limit("MAX_ROWS")}
        )
    names = ["" if _blank(v) else str(v).strip(" \t\r\n\u3000\u00a0\ufeff") for v in header]
    while names and not names[-1]:
        names.pop()
    return Table(header=names, rows=numbered[1:], kind=kind, sheet_name=sheet_name)
