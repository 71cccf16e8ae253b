"""Reading an uploaded bulletin workbook (xlsx, xls, ods) into rows with python-calamine."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

MAX_BYTES = 5 * 1024 * 1024


def read_rows(upload) -> list[list]:
    if upload.size > MAX_BYTES:
        raise ValidationError(_("文件过大（最大5MB）"))
    try:
        workbook = CalamineWorkbook.from_filelike(upload)
        return [list(row) for row in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises its own types for every kind of broken file
        raise ValidationError(_("无法读取该文件，请上传 Excel（.xlsx/.xls）或 WPS 表格")) from exc
