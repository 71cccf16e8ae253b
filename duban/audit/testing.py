"""pytest plugin (`-p duban.audit.testing`): let the test suite empty the audit tables.

Tests that run outside a transaction (transactional_db, live_server, browser tests) end
with Django's `flush`, which DELETEs (SQLite) or TRUNCATEs (PostgreSQL) every table. The
audit guards rightly refuse that, so only inside the test run the flush lifts the guards
for its own statements and puts them back at once. Production `flush` stays refused.
"""

from __future__ import annotations


def pytest_configure(config) -> None:
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush
    if getattr(original, "_duban_audit", False):
        return

    def execute_sql_flush(self, sql_list):
        from django.db import transaction

        from duban.audit import guards

        with transaction.atomic(using=self.connection.alias):
            guards.remove(self.connection)
            original(self, sql_list)
            guards.install(self.connection)

    execute_sql_flush._duban_audit = True  # type: ignore[attr-defined]
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
