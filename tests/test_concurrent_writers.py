"""20 concurrent writers through the real service on a file database: no lock errors, no lost update.

The writers run in a separate process (bench/concurrent_writers.py) against a real database
file (SQLite in a temporary DUBAN_VAR, migrated by a separate `manage.py migrate`), or, when
DATABASE_URL names PostgreSQL, against a fresh database the script creates and drops.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITERS, WRITES = 20, 10

pytestmark = pytest.mark.slow


def _env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DUBAN_AUDIT_KEY"}}
    env.update(DUBAN_VAR=str(var), DJANGO_SETTINGS_MODULE="duban.settings")
    return env


def _run(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "concurrent_writers.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "database is locked" not in done.stderr
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _assert_no_loss(figures: dict) -> None:
    expected = WRITERS * WRITES
    assert figures["locked_errors"] == 0, figures["first_errors"]
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["done"] == expected
    assert figures["final_counter"] == expected  # every increment counted: no lost update
    assert figures["audit_entries"] == expected  # one audit entry per write
    assert figures["verify_ok"], figures["verify_problem"]


def test_twenty_writers_on_a_sqlite_file(tmp_path):
    env = _env(tmp_path)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "duban.sqlite3").exists()

    figures = _run(
        ["--var", str(tmp_path), "--writers", str(WRITERS), "--writes", str(WRITES), "--seal"], env
    )

    assert figures["vendor"] == "sqlite"
    _assert_no_loss(figures)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="DATABASE_URL is not PostgreSQL"
)
def test_twenty_writers_on_postgresql(tmp_path):
    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_cw"))

    figures = _run(
        ["--postgres", url, "--writers", str(WRITERS), "--writes", str(WRITES), "--seal"], _env(tmp_path)
    )

    assert figures["vendor"] == "postgresql"
    _assert_no_loss(figures)
