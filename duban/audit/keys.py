"""The chain key and the chain head: two small files kept outside the database.

Someone who can write the database but not these files cannot forge a seal (no key) and
cannot hide the removal of the newest entries together with their seals (the head file
remembers how far the chain went). Back the key up apart from the database: without it
the trail can no longer be verified.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MIN_KEY_CHARS = 32


class KeyMissing(ImproperlyConfigured):
    """The chain exists but its key does not: creating a new one would break every seal."""


def key_path() -> Path:
    return Path(settings.DUBAN_AUDIT_KEY_FILE)


def head_path() -> Path:
    return key_path().with_name("audit.head")


def load_key(*, create: bool) -> bytes:
    """The chain key: env DUBAN_AUDIT_KEY, else the key file (created mode 0600 if `create`)."""
    from_env = os.environ.get("DUBAN_AUDIT_KEY", "")
    if from_env:
        if len(from_env) < MIN_KEY_CHARS:
            raise ImproperlyConfigured(_("DUBAN_AUDIT_KEY 至少需要 %(n)d 个字符") % {"n": MIN_KEY_CHARS})
        return from_env.encode()
    path = key_path()
    if not path.exists():
        if not create:
            raise KeyMissing(_("审计密钥文件 %(path)s 不存在") % {"path": path})
        _create_key(path)
    return path.read_text().strip().encode()


def _create_key(path: Path) -> None:
    """Write the key to a private temp file, then link it into place: two processes starting
    at once end up with the same key, and nobody ever reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


@dataclass(frozen=True)
class Head:
    """The last seal known to exist: its sequence, chain value and entry."""

    seq: int
    chain: str
    entry_id: int


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    lock = head_path().with_name("audit.head.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_head() -> Head | None:
    path = head_path()
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return Head(seq=int(data["seq"]), chain=str(data["chain"]), entry_id=int(data["entry_id"]))


def write_head(head: Head, *, force: bool = False) -> None:
    """Record a new head (atomic rename, mode 0600). Never moves backwards unless `force`:
    two sealers finishing out of order must not leave the older head behind."""
    with _locked():
        current = read_head()
        if current is not None and current.seq >= head.seq and not force:
            return
        path = head_path()
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(asdict(head), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
