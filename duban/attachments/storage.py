"""Attachment files on disk: random names under MEDIA_ROOT/attachments/YYYY/MM/, never in the web root.

A file is first written to a staging twin (MEDIA_ROOT/attachments/.staging/YYYY/MM/<name>)
and moved to its place only when the transaction that created its row commits. A rolled-back
transaction therefore never leaves a file where a row could point; what it leaves in staging
is swept (`stale_staged` + services.sweep_staging). Files are 0640, folders 0750.
"""

from __future__ import annotations

import datetime
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings

PREFIX = "attachments"
STAGING = ".staging"
FILE_MODE = 0o640
DIR_MODE = 0o750


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def new_name(extension: str, now: datetime.datetime, suffix: str = "") -> str:
    """A fresh relative name, e.g. attachments/2026/05/3f2a…9c.jpg (128 random bits)."""
    return f"{PREFIX}/{now:%Y}/{now:%m}/{secrets.token_hex(16)}{suffix}.{extension}"


def _final_path(name: str) -> Path:
    root = (media_root() / PREFIX).resolve()
    path = (media_root() / name).resolve()
    if root not in path.parents or not name.startswith(PREFIX + "/"):
        raise ValueError(f"not an attachment file name: {name!r}")
    return path


def _staging_path(name: str) -> Path:
    _final_path(name)  # same validation
    return media_root() / PREFIX / STAGING / name.removeprefix(PREFIX + "/")


def _ensure_dir(path: Path) -> None:
    """Create the folders down to `path`, each 0750 whatever the process umask."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # another worker made it first
        os.chmod(folder, DIR_MODE)


def stage(name: str, data: bytes) -> None:
    """Write `data` to the staging twin of `name`, durably, mode 0640."""
    path = _staging_path(name)
    _ensure_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(names: Iterable[str]) -> None:
    """Move staged files to their place (after the commit of their rows)."""
    for name in names:
        source, target = _staging_path(name), _final_path(name)
        if source.exists():
            _ensure_dir(target.parent)
            os.replace(source, target)


def delete(names: Iterable[str]) -> None:
    """Remove a file wherever it is (staged or published)."""
    for name in names:
        for path in (_staging_path(name), _final_path(name)):
            path.unlink(missing_ok=True)


def locate(name: str) -> Path | None:
    """Where the file of `name` is now: its place, or staging while its commit is under way."""
    for path in (_final_path(name), _staging_path(name)):
        if path.is_file():
            return path
    return None


def stale_staged(older_than: datetime.timedelta) -> Iterator[str]:
    """Names of staged files older than `older_than` (left by a crash or a rollback)."""
    base = media_root() / PREFIX / STAGING
    if not base.exists():
        return
    cutoff = time.time() - older_than.total_seconds()
    for path in base.rglob("*"):
        if path.is_file() and path.stat().st_mtime <= cutoff:
            yield f"{PREFIX}/{path.relative_to(base).as_posix()}"
