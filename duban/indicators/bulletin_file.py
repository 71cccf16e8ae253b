"""Reading an uploaded bulletin workbook through duban.sheets' file checks (content sniffing,
size, zip bombs, formulas and merged cells refused) into rows: the header first."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError

from duban.sheets.files import FileRefused, max_upload_bytes, read_table, too_big_message


def read_rows(upload) -> list[list]:
    if upload.size > max_upload_bytes():
        raise ValidationError(too_big_message(upload.size))
    with tempfile.TemporaryDirectory(prefix="duban-bulletin-") as folder:
        path = Path(folder) / "bulletin"
        with path.open("wb") as fh:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                fh.write(chunk)
        try:
            table = read_table(path, getattr(upload, "name", "") or "")
        except FileRefused as exc:
            raise ValidationError(str(exc)) from exc
    return [list(table.header), *[list(cells) for _number, cells in table.rows]]
