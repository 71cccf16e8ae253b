"""Exporting the audit trail as CSV (UTF-8 with BOM, for Excel and WPS) or .xlsx.

Both stream: CSV row by row, .xlsx through openpyxl's write-only mode into a temporary file.
Every text cell goes through duban.core.cells.neutralise (no formula injection).
Every export is itself audited (AUDIT_EXPORTED) before the first row leaves.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.cells import neutralise

from .events import AuditEvent
from .models import AuditEntry
from .services import record

BOM = "\ufeff"
CHUNK = 2000


def headers() -> list[str]:
    return [
        _("编号"),
        _("时间"),
        _("事件"),
        _("结果"),
        _("操作人"),
        _("操作人角色"),
        _("操作人单位"),
        _("对象类型"),
        _("对象编号"),
        _("对象"),
        _("变更"),
        _("理由"),
        _("来源地址"),
        _("来源"),
        _("请求编号"),
    ]


def changes_text(changes: dict) -> str:
    return "; ".join(f"{field}: {pair[0]} → {pair[1]}" for field, pair in (changes or {}).items())


def row(entry: AuditEntry) -> list:
    local = timezone.localtime(entry.created_at)
    cells = [
        entry.pk,
        local.strftime("%Y-%m-%d %H:%M:%S"),
        entry.get_event_display(),
        entry.get_outcome_display(),
        entry.actor_name,
        entry.actor_role,
        entry.actor_unit,
        entry.target_type,
        entry.target_id,
        entry.target_repr,
        changes_text(entry.changes),
        entry.reason,
        entry.address,
        entry.source,
        entry.request_id,
    ]
    return [neutralise(cell) for cell in cells]


def rows(qs: QuerySet[AuditEntry]) -> Iterator[list]:
    for entry in qs.order_by("id").iterator(chunk_size=CHUNK):
        yield row(entry)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(qs: QuerySet[AuditEntry]) -> Iterator[bytes]:
    """The CSV file, a line at a time, starting with the BOM."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow(headers())).encode()
    for values in rows(qs):
        yield writer.writerow(values).encode()


def write_csv(qs: QuerySet[AuditEntry], out: IO[bytes]) -> None:
    for chunk in csv_chunks(qs):
        out.write(chunk)


def xlsx_file(qs: QuerySet[AuditEntry]) -> IO[bytes]:
    """A temporary .xlsx file (rewound) holding the rows; rows never sit in memory together."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("审计日志"))
    sheet.append(headers())
    for values in rows(qs):
        sheet.append(values)
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def audit_export(*, actor, fmt: str, summary: str, count: int, actor_name: str | None = None) -> None:
    """Write the AUDIT_EXPORTED entry for an export about to be produced."""
    with transaction.atomic():
        record(
            AuditEvent.AUDIT_EXPORTED,
            actor=actor,
            actor_name=actor_name,
            description=_("审计日志"),
            changes={"format": [None, fmt], "rows": [None, count]},
            reason=_("导出条件:%s") % summary,
        )
