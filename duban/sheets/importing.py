"""The import: check every cell, then run every change through the module's services.

One run, two modes. A dry run (the preview) and a commit do exactly the same work inside one
transaction, services and audit entries included; the dry run, or a commit with any problem,
rolls the whole transaction back. So the preview lists what the services themselves would
refuse (a duplicate name in a region, a scope the user lacks), and a commit is all or nothing.

Rows whose values equal the stored ones are "unchanged": no service call, no audit entry.
Only the columns present in the file are compared and written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent

from .base import Sheet
from .columns import CellError, Column, is_blank
from .files import Table, column_letter

MAX_PROBLEMS = 1000  # listed in the preview; the total is always counted
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """A bad cell (row and column), a bad row (no column) or a bad file (no row)."""

    row: int | None
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    sheet: str
    filename: str
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        problems = [Problem(**p) for p in data.get("problems", [])]
        return cls(**{**data, "problems": problems})


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    bad: bool = False
    obj: Any = None


def _shown(value: Any) -> str:
    return "" if value is None else str(value)[:100]


def _map_header(sheet: Sheet, table: Table, report: ImportReport) -> dict[int, Column] | None:
    by_header = {c.header: c for c in sheet.columns}
    mapping: dict[int, Column] = {}
    unknown, seen = [], set()
    for index, name in enumerate(table.header):
        if not name:
            continue
        column = by_header.get(name)
        if column is None:
            unknown.append(name)
        elif name in seen:
            report.add(Problem(None, name, "", _("表头“%(h)s”出现了两次") % {"h": name}))
        else:
            seen.add(name)
            mapping[index] = column
    missing = [c.header for c in sheet.columns if c.required and c.header not in seen]
    if unknown:
        report.add(
            Problem(None, "", "、".join(unknown), _("无法识别的表头：%(h)s") % {"h": "、".join(unknown)})
        )
    if missing:
        report.add(Problem(None, "", "", _("缺少必填的列：%(h)s") % {"h": "、".join(missing)}))
    if sheet.natural_key not in {c.field for c in mapping.values()}:
        report.add(Problem(None, "", "", _("缺少用于识别记录的列：%(h)s") % {"h": sheet.key_column().header}))
    return None if report.problem_count else mapping


def _parse_rows(table: Table, mapping: dict[int, Column], report: ImportReport) -> list[_Row]:
    rows = []
    named = set(mapping)
    for number, cells in table.rows:
        row = _Row(number=number, values={}, raw={})
        for index, raw in enumerate(cells):
            if index in named or is_blank(raw):
                continue
            report.add(
                Problem(number, column_letter(index), _shown(raw), _("这一列没有表头，无法确定是什么数据"))
            )
            row.bad = True
        for index, column in mapping.items():
            raw = cells[index] if index < len(cells) else None
            row.raw[column.field] = raw
            if is_blank(raw):
                if column.required:
                    report.add(Problem(number, column.header, "", _("必填")))
                    row.bad = True
                row.values[column.field] = column.blank_value()
                continue
            try:
                row.values[column.field] = column.parse(raw)
            except CellError as exc:
                report.add(Problem(number, column.header, _shown(raw), str(exc)))
                row.bad = True
        rows.append(row)
    return rows


def _resolve_lookups(sheet: Sheet, rows: list[_Row], columns: list[Column], actor, report) -> None:
    for column in columns:
        if column.lookup is None:
            continue
        texts = {r.values[column.field] for r in rows if r.values.get(column.field)}
        resolved = column.lookup.resolve(actor, texts) if texts else {}
        for row in rows:
            text = row.values.get(column.field)
            if not text:
                continue
            found = resolved[text]
            if isinstance(found, str):
                report.add(Problem(row.number, column.header, text, found))
                row.bad = True
            else:
                row.values[column.field] = found


def _find_duplicates(sheet: Sheet, rows: list[_Row], report: ImportReport) -> None:
    first: dict[Any, int] = {}
    header = sheet.key_column().header
    for row in rows:
        key = row.values.get(sheet.natural_key)
        if key in (None, ""):
            continue
        if key in first:
            message = _("与第%(n)d行重复（%(h)s相同）") % {"n": first[key], "h": header}
            report.add(Problem(row.number, header, _shown(key), message))
            row.bad = True
        else:
            first[key] = row.number


def _same(stored: Any, parsed: Any) -> bool:
    if hasattr(parsed, "pk"):
        parsed = parsed.pk
    if stored in (None, "") and parsed in (None, ""):
        return True
    return stored == parsed


def _classify(sheet: Sheet, rows: list[_Row], columns: list[Column], actor, report) -> list[_Row]:
    """Attach the stored object to each row; return the rows that need a service call."""
    keys = [r.values[sheet.natural_key] for r in rows if not r.bad]
    stored = sheet.existing(keys)
    allowed = sheet.changeable(actor, list(stored.values()))
    header = sheet.key_column().header
    work = []
    for row in rows:
        if row.bad:
            continue
        obj = stored.get(row.values[sheet.natural_key])
        if obj is not None and obj.pk not in allowed:
            message = _("%(h)s“%(v)s”已被使用，且不在您的管理范围内") % {
                "h": header,
                "v": row.values[sheet.natural_key],
            }
            report.add(Problem(row.number, header, _shown(row.values[sheet.natural_key]), message))
            row.bad = True
            continue
        row.obj = obj
        if obj is not None and all(_same(sheet.stored_value(obj, c), row.values[c.field]) for c in columns):
            report.unchanged += 1
            continue
        work.append(row)
    return work


def _service_problems(sheet: Sheet, row: _Row, exc: Exception) -> list[Problem]:
    headers = {c.field: c.header for c in sheet.columns}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        found = []
        for name, errors in exc.error_dict.items():
            header = headers.get(name, "")
            value = _shown(row.raw.get(name)) if header else ""
            for message in (m for e in errors for m in e.messages):
                found.append(Problem(row.number, header, value, str(message)))
        return found
    if isinstance(exc, ValidationError):
        return [Problem(row.number, "", "", "；".join(str(m) for m in exc.messages))]
    if isinstance(exc, PermissionDenied):
        return [Problem(row.number, "", "", str(exc) or _("无权执行此操作"))]
    return [Problem(row.number, "", "", _("与已有数据冲突，未能保存"))]


def _apply(sheet: Sheet, work: list[_Row], columns: list[Column], actor, report, progress) -> None:
    fields = [c.field for c in columns]
    for done, row in enumerate(work, 1):
        values = {name: row.values[name] for name in fields}
        try:
            if row.obj is None:
                sheet.create(values, actor=actor)
                report.created += 1
            else:
                sheet.update(row.obj, values, actor=actor)
                report.changed += 1
        except (ValidationError, PermissionDenied, DatabaseError) as exc:
            # Each service runs in its own savepoint: its failure leaves the transaction usable.
            for problem in _service_problems(sheet, row, exc):
                report.add(problem)
        if progress:
            progress(done, len(work))


def run_import(
    sheet: Sheet,
    table: Table,
    *,
    actor,
    filename: str = "",
    commit: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check and (when `commit` and nothing is wrong) write the table; return what happened."""
    report = ImportReport(sheet=sheet.key, filename=filename, rows=len(table.rows))
    mapping = _map_header(sheet, table, report)
    if mapping is None:
        return report
    columns = list(mapping.values())
    rows = _parse_rows(table, mapping, report)
    _resolve_lookups(sheet, rows, columns, actor, report)
    _find_duplicates(sheet, rows, report)
    work = _classify(sheet, rows, columns, actor, report)
    with transaction.atomic():
        _apply(sheet, work, columns, actor, report, progress)
        if commit and report.ok:
            report.committed = True
            _record_summary(sheet, report, actor)
        else:
            transaction.set_rollback(True)
    order = {c.header: i for i, c in enumerate(sheet.columns)}
    report.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order)), p.column))
    return report


def _record_summary(sheet: Sheet, report: ImportReport, actor) -> None:
    audit.record(
        AuditEvent.IMPORT,
        actor=actor,
        description=_("导入%(title)s：%(file)s") % {"title": sheet.title, "file": report.filename},
        changes={
            "sheet": [None, sheet.key],
            "file": [None, report.filename],
            "rows": [None, report.rows],
            "created": [None, report.created],
            "changed": [None, report.changed],
            "unchanged": [None, report.unchanged],
        },
    )
