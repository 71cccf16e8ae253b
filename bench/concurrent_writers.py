"""20 concurrent writers through the real service, on a file database; prints figures as JSON.

Each writer repeats a read-modify-write increment of one unit's sort_order: inside one
transaction it locks the unit (select_for_update; on SQLite the IMMEDIATE transaction holds
the write lock) and calls duban.org.services.update_unit(sort_order=old + 1), which writes
its audit entry in the same transaction. No retries: a "database is locked" error or a lost
update shows in the figures.

    python bench/concurrent_writers.py                      # SQLite in a temporary folder
    python bench/concurrent_writers.py --var DIR            # SQLite already migrated in DIR
    python bench/concurrent_writers.py --postgres postgres://postgres@127.0.0.1:5432/duban_bench
                                        # creates that database, migrates, runs, drops it
    --seal runs the audit sealer beside the writers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--writes", type=int, default=25, help="writes per writer")
    parser.add_argument("--var", help="DUBAN_VAR of an already migrated SQLite database")
    parser.add_argument("--postgres", help="URL of a PostgreSQL database to create, use and drop")
    parser.add_argument("--seal", action="store_true", help="run the audit sealer concurrently")
    parser.add_argument(
        "--seal-interval", type=float, default=1.0, help="seconds between sealer runs (production: 60)"
    )
    return parser.parse_args(argv)


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"unsafe database name: {name!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def create_pg(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(var: str, database_url: str | None) -> None:
    """Point duban at the database before Django starts."""
    os.environ["DUBAN_VAR"] = var
    os.environ.pop("DUBAN_AUDIT_KEY", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "duban.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Bench users never log in: a fast hasher keeps the setup out of the figures' way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_target() -> tuple[int, int]:
    """A unit and a system administrator over its county (through the audited services)."""
    from duban.accounts.choices import Role
    from duban.accounts.factories import make_user_with_role
    from duban.org.factories import make_unit

    unit = make_unit(f"并发测试单位{time.time_ns()}", code=f"B{time.time_ns() % 10**12}")
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=unit.region, username=f"bench{time.time_ns()}")
    return unit.pk, admin.pk


def _writer(n: int, unit_pk: int, admin_pk: int, done: list[int], errors: list[str], gate) -> None:
    from django.db import connection, transaction

    from duban.accounts.models import User
    from duban.org.models import Unit
    from duban.org.services import update_unit

    try:
        admin = User.objects.get(pk=admin_pk)
        gate.wait()
        for _ in range(n):
            try:
                with transaction.atomic():
                    unit = Unit.objects.select_for_update().get(pk=unit_pk)
                    update_unit(unit, actor=admin, sort_order=unit.sort_order + 1)
                done.append(1)
            except Exception as exc:  # counted, never retried
                errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def _sealer(stop: threading.Event, interval: float, counts: list[int], errors: list[str]) -> None:
    import datetime

    from django.db import connection

    from duban.audit import chain

    try:
        while not stop.is_set():
            counts.append(chain.seal_pending(min_age=datetime.timedelta(milliseconds=200)))
            stop.wait(interval)
    except Exception as exc:
        errors.append(f"sealer {type(exc).__name__}: {exc}")
    finally:
        connection.close()


def run_writers(writers: int, writes: int, *, seal: bool, seal_interval: float = 1.0) -> dict:
    """Start the writers together; returns the figures."""
    import datetime

    from django.db import connection

    from duban.audit import chain
    from duban.audit.events import AuditEvent
    from duban.audit.models import AuditEntry, AuditSeal
    from duban.org.models import Unit

    unit_pk, admin_pk = make_target()
    start_value = Unit.objects.get(pk=unit_pk).sort_order
    done: list[int] = []
    errors: list[str] = []
    sealed: list[int] = []
    gate = threading.Barrier(writers + 1)
    threads = [
        threading.Thread(target=_writer, args=(writes, unit_pk, admin_pk, done, errors, gate))
        for _ in range(writers)
    ]
    for t in threads:
        t.start()
    stop = threading.Event()
    sealer = threading.Thread(target=_sealer, args=(stop, seal_interval, sealed, errors)) if seal else None
    gate.wait()
    started = time.perf_counter()
    if sealer:
        sealer.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    stop.set()
    if sealer:
        sealer.join()
    figures = {
        "vendor": connection.vendor,
        "writers": writers,
        "writes_per_writer": writes,
        "expected": writers * writes,
        "done": len(done),
        "errors": len(errors),
        "locked_errors": sum("database is locked" in e for e in errors),
        "first_errors": errors[:5],
        "seconds": round(seconds, 3),
        "writes_per_second": round(len(done) / seconds, 1),
        "final_counter": Unit.objects.get(pk=unit_pk).sort_order - start_value,
        "audit_entries": AuditEntry.objects.filter(
            event=AuditEvent.UNIT_CHANGED, target_type="org.Unit", target_id=str(unit_pk)
        ).count(),
        "sealing": seal,
        "seal_interval": seal_interval if seal else None,
        "sealed_during_run": sum(sealed),
    }
    chain.seal_pending(min_age=datetime.timedelta(0), lookback=None)
    result = chain.verify()
    figures["verify_ok"] = result.ok
    figures["verify_problem"] = result.problem.message if result.problem else ""
    figures["seals"] = AuditSeal.objects.count()
    return figures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as tmp:
        if args.postgres:
            create_pg(args.postgres)
        try:
            configure(args.var or tmp, args.postgres)
            if args.postgres or not args.var:
                migrate()
            figures = run_writers(args.writers, args.writes, seal=args.seal, seal_interval=args.seal_interval)
        finally:
            if args.postgres:
                from django.db import connections

                connections.close_all()
                drop_pg(args.postgres)
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["done"] == figures["expected"] else 1


if __name__ == "__main__":
    sys.exit(main())
