"""What the audit chain costs the writers, and how fast the sealer and verify go.

Three ways of running 20 concurrent writers (each on its own unit, so only the chain could
make them wait for each other), repeated in alternation, median writes/s printed:

  none    writers only insert audit entries (the chain is not maintained at all)
  sealer  the same, with the sealer running beside them every --seal-interval seconds
  inline  every write also appends its own seal inside its transaction: the chain head
          becomes a lock that every writer must hold until it commits

Then the sealing rate and the verify rate over --entries entries.

    python bench/audit_chain.py                    # SQLite in a temporary folder
    python bench/audit_chain.py --postgres postgres://postgres@127.0.0.1:5432/duban_bench
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import threading
import time

from concurrent_writers import _sealer, configure, create_pg, drop_pg, make_target, migrate


def _write(unit_pk: int, admin, inline: bool, key: bytes | None) -> None:
    from django.db import transaction

    from duban.audit import chain
    from duban.audit.models import AuditEntry
    from duban.org.models import Unit
    from duban.org.services import update_unit

    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_pk)
        update_unit(unit, actor=admin, sort_order=unit.sort_order + 1)
        if inline:
            chain._lock_sealer()  # held until commit, as an inline chain must
            row = (
                AuditEntry.objects.filter(target_id=str(unit_pk))
                .order_by("-id")
                .values(*chain.CHAIN_FIELDS)[0]
            )
            chain._seal_batch([row], key)  # type: ignore[arg-type]


def _writer(n: int, unit_pk: int, admin_pk: int, inline: bool, key, done: list, errors: list, gate) -> None:
    from django.db import connection

    from duban.accounts.models import User

    try:
        admin = User.objects.get(pk=admin_pk)
        gate.wait()
        for _ in range(n):
            try:
                _write(unit_pk, admin, inline, key)
                done.append(1)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def run(mode: str, writers: int, writes: int, interval: float) -> dict:
    from duban.audit import chain, keys

    targets = [make_target() for _ in range(writers)]
    chain.seal_pending(min_age=datetime.timedelta(0), lookback=None)
    key = keys.load_key(create=True)
    done: list = []
    errors: list = []
    sealed: list[int] = []
    gate = threading.Barrier(writers + 1)
    threads = [
        threading.Thread(target=_writer, args=(writes, u, a, mode == "inline", key, done, errors, gate))
        for u, a in targets
    ]
    for t in threads:
        t.start()
    stop = threading.Event()
    sealer = threading.Thread(target=_sealer, args=(stop, interval, sealed, errors))
    gate.wait()
    started = time.perf_counter()
    if mode == "sealer":
        sealer.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    stop.set()
    if mode == "sealer":
        sealer.join()
    return {"mode": mode, "writes_per_second": round(len(done) / seconds, 1), "errors": errors[:3]}


def sealing_rate(entries: int) -> dict:
    from django.db import transaction

    from duban.audit import chain
    from duban.audit.events import AuditEvent
    from duban.audit.models import AuditEntry

    chain.seal_pending(min_age=datetime.timedelta(0), lookback=None)
    with transaction.atomic():
        AuditEntry.objects.bulk_create(
            AuditEntry(
                event=AuditEvent.UNIT_CHANGED,
                actor_name="测试用户",
                target_type="org.Unit",
                target_id=str(i),
                target_repr=f"测试单位{i}",
                changes={"sort_order": [i, i + 1], "name": ["旧名称", "新名称"]},
            )
            for i in range(entries)
        )
    # Seal batch by batch as seal_pending does, timing the write transaction alone: on SQLite
    # that is how long writers wait for the sealer.
    from duban.audit import keys

    key = keys.load_key(create=True)
    sealed, batch_ms = 0, []
    started = time.perf_counter()
    while rows := chain._candidates(chain.BATCH, datetime.timedelta(0), None):
        t0 = time.perf_counter()
        sealed += chain._seal_batch(rows, key)
        batch_ms.append((time.perf_counter() - t0) * 1000)
    seal_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = chain.verify()
    verify_seconds = time.perf_counter() - started
    return {
        "sealed": sealed,
        "seal_entries_per_second": round(sealed / seal_seconds),
        "seal_transaction_ms_per_1000_median": round(statistics.median(batch_ms), 1),
        "seal_transaction_ms_per_1000_max": round(max(batch_ms), 1),
        "verified": result.checked,
        "verify_entries_per_second": round(result.checked / verify_seconds),
        "verify_ok": result.ok,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--writes", type=int, default=20, help="writes per writer per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seal-interval", type=float, default=1.0)
    parser.add_argument("--entries", type=int, default=20_000, help="entries for the sealing rate")
    parser.add_argument("--postgres", help="URL of a PostgreSQL database to create, use and drop")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as tmp:
        if args.postgres:
            create_pg(args.postgres)
        try:
            configure(tmp, args.postgres)
            migrate()
            from django.db import connection

            rates: dict[str, list[float]] = {"none": [], "sealer": [], "inline": []}
            errors = []
            for _ in range(args.rounds):
                for mode in rates:
                    figures = run(mode, args.writers, args.writes, args.seal_interval)
                    rates[mode].append(figures["writes_per_second"])
                    errors += figures["errors"]
            report = {
                "vendor": connection.vendor,
                "writers": args.writers,
                "writes_per_round": args.writers * args.writes,
                "rounds": args.rounds,
                "median_writes_per_second": {m: statistics.median(r) for m, r in rates.items()},
                "all_writes_per_second": rates,
                "errors": errors[:5],
                **sealing_rate(args.entries),
            }
        finally:
            if args.postgres:
                from django.db import connections

                connections.close_all()
                drop_pg(args.postgres)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
