"""Where duban keeps its files, and how the embedded SQLite database is configured.

Kept free of Django imports: settings.py calls it before Django is set up.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

# SQLite's WAL mode had a database-corruption bug when a WAL reset raced with a writer
# (fixed in 3.51.3). Before that version we stay on the rollback journal, which is slower
# for concurrent readers but cannot hit that bug.
WAL_SAFE_SQLITE = (3, 51, 3)


def var_dir(base: Path) -> Path:
    """The folder for the database, keys and uploaded files (never committed)."""
    path = Path(os.environ.get("DUBAN_VAR", base / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_or_create_secret(path: Path, nbytes: int = 50) -> str:
    """Read a secret from `path`, creating it (mode 0600) on first start."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def sqlite_journal_mode() -> tuple[str, str]:
    """The journal mode for the linked SQLite, and the reason, for `duban check` to print."""
    version = sqlite3.sqlite_version_info
    shown = ".".join(map(str, version))
    if version >= WAL_SAFE_SQLITE:
        return "WAL", f"SQLite {shown} >= 3.51.3: WAL is safe and lets readers run beside a writer"
    return (
        "DELETE",
        f"SQLite {shown} < 3.51.3 carries the WAL-reset corruption bug: using the rollback journal",
    )


def sqlite_database(path: Path) -> dict:
    """Django DATABASES entry for the embedded database."""
    mode, _reason = sqlite_journal_mode()
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # Writers wait for the lock instead of failing with "database is locked":
            # IMMEDIATE takes the write lock at BEGIN, so no transaction has to upgrade
            # a read lock half-way (the usual cause of SQLITE_BUSY despite a timeout).
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (f"PRAGMA journal_mode={mode}; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"),
        },
        "TEST": {"NAME": None},
    }
