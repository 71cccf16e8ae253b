"""Entry points of the import and export, for the pages, background jobs and the benchmark.

An uploaded file is kept ("staged") in the uploader's own folder under MEDIA_ROOT/sheets
between the preview and the confirmation, under a random name, mode 0600; staged files older
than a day are removed whenever someone stages a new one. Each export is audited (EXPORT,
with the filters and the row count); each committed import writes one IMPORT summary beside
the services' own entries.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent

from .base import Sheet
from .files import FileRefused, Table, limit, max_upload_bytes, read_table, too_big_message
from .importing import ImportReport, Problem, run_import

STAGE_DIR = "sheets"
STAGE_MAX_AGE = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
FORMATS = {"xlsx", "csv", "gbk"}


@dataclass(frozen=True)
class Staged:
    token: str
    path: Path
    filename: str


def _user_folder(actor) -> Path:
    folder = Path(settings.MEDIA_ROOT) / STAGE_DIR / str(actor.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - STAGE_MAX_AGE
    for old in folder.glob("*"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def stage_upload(upload: UploadedFile, *, actor) -> Staged:
    """Keep the uploaded file for the preview and the confirmation; refuse it early if too big."""
    if upload.size is None or upload.size > max_upload_bytes():
        raise FileRefused(too_big_message(upload.size or 0))
    folder = _user_folder(actor)
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.upload"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    filename = os.path.basename(upload.name or "")[:120]
    (folder / f"{token}.json").write_text(json.dumps({"filename": filename}), encoding="utf-8")
    return Staged(token=token, path=path, filename=filename)


def find_staged(token: str, *, actor) -> Staged | None:
    """The file the same user staged under `token` (another user's token finds nothing)."""
    if not TOKEN.match(token or ""):
        return None
    folder = _user_folder(actor)
    path = folder / f"{token}.upload"
    if not path.is_file():
        return None
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    return Staged(token=token, path=path, filename=str(meta.get("filename", "")))


def write_live_progress(staged: Staged, done: int, total: int) -> None:
    """Progress beside the staged file, for the import page while the job's transaction is open.

    Rows applied inside the import's one transaction are invisible to other sessions (and on
    SQLite the job row cannot even be written by another connection), so the page reads this.
    """
    path = staged.path.with_suffix(".progress")
    tmp = path.with_suffix(".progress-tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    os.replace(tmp, path)


def read_live_progress(staged: Staged) -> tuple[int, int] | None:
    try:
        data = json.loads(staged.path.with_suffix(".progress").read_text(encoding="utf-8"))
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def discard_staged(staged: Staged) -> None:
    for path in (staged.path, staged.path.with_suffix(".json"), staged.path.with_suffix(".progress")):
        with contextlib.suppress(OSError):
            path.unlink()


def refused_report(sheet: Sheet, filename: str, exc: FileRefused) -> ImportReport:
    report = ImportReport(sheet=sheet.key, filename=filename)
    report.add(Problem(None, "", "", str(exc)))
    return report


def read_staged(staged: Staged) -> Table:
    return read_table(staged.path, staged.filename)


def runs_in_background(table: Table) -> bool:
    return len(table.rows) > limit("BACKGROUND_ROWS")


def import_staged(sheet: Sheet, staged: Staged, *, actor, commit: bool, progress=None) -> ImportReport:
    """Read the staged file and run the import (dry run unless `commit`); file problems as a report."""
    try:
        table = read_staged(staged)
    except FileRefused as exc:
        return refused_report(sheet, staged.filename, exc)
    report = run_import(sheet, table, actor=actor, filename=staged.filename, commit=commit, progress=progress)
    if report.committed:
        discard_staged(staged)
    return report


def start_import_job(sheet: Sheet, staged: Staged, *, actor, commit: bool):
    from duban.jobs.services import start_job

    from .tasks import import_sheet

    staged.path.with_suffix(".progress").unlink(missing_ok=True)  # a previous run's figures
    action = _("导入") if commit else _("检查")
    return start_job(
        owner=actor,
        kind="sheets.import",
        title=_("%(action)s%(title)s：%(file)s")
        % {"action": action, "title": sheet.title, "file": staged.filename},
        task=import_sheet,
        params={"sheet": sheet.key, "token": staged.token, "filename": staged.filename, "commit": commit},
        sheet_key=sheet.key,
        token=staged.token,
        commit=commit,
    )


def record_export(sheet: Sheet, *, actor, fmt: str, filters: dict[str, Any], rows: int) -> None:
    with transaction.atomic():
        audit.record(
            AuditEvent.EXPORT,
            actor=actor,
            description=_("导出%(title)s（%(fmt)s）") % {"title": sheet.title, "fmt": fmt},
            changes={
                "sheet": [None, sheet.key],
                "format": [None, fmt],
                "filters": [None, urlencode(sorted(filters.items()))],
                "rows": [None, rows],
            },
        )
