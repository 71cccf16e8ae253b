# ruff: noqa: S608 -- every statement is built from the constant table names below, never from input
"""The database refuses to change the audit trail: triggers per vendor.

Installed by migration 0003 and checked by `duban audit verify`.

- audit_auditentry: no UPDATE, ever. DELETE only of a row older than 180 days and only while
  a purge marker row exists (the purge command writes one and removes it in its own
  transaction; on PostgreSQL nobody else can even see it).
- audit_auditseal: no UPDATE. DELETE only while a purge marker exists and the entry the
  seal covers is already gone (so only seals of purged entries can go).
- audit_auditcheckpoint: no UPDATE, no DELETE.
- PostgreSQL also refuses TRUNCATE (row triggers do not fire on it) and revokes UPDATE,
  DELETE and TRUNCATE from PUBLIC: run the application as a role that does not own the
  tables and the revocation holds even without the triggers.

SQLite rebuilds a table (and drops its triggers) when a migration alters it; any later
migration that alters these tables must call `install` again. `verify` reports missing
guards, so a forgotten reinstall does not pass unnoticed.
"""

from __future__ import annotations

RETENTION_DAYS = 180
ENTRY, SEAL, CHECKPOINT, MARKER = (
    "audit_auditentry",
    "audit_auditseal",
    "audit_auditcheckpoint",
    "audit_auditpurgemarker",
)
REFUSED = "duban audit trail is append-only"

SQLITE_TRIGGERS = {
    "audit_entry_no_update": f"""
        CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {ENTRY}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: UPDATE refused'); END""",
    "audit_entry_no_delete": f"""
        CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {ENTRY}
        WHEN NOT (EXISTS (SELECT 1 FROM {MARKER})
                  AND OLD.created_at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-{RETENTION_DAYS} days'))
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: DELETE refused (entries younger than
        {RETENTION_DAYS} days are kept; older ones go only through the purge command)'); END""",
    "audit_seal_no_update": f"""
        CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON {SEAL}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: UPDATE of a seal refused'); END""",
    "audit_seal_no_delete": f"""
        CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON {SEAL}
        WHEN NOT (EXISTS (SELECT 1 FROM {MARKER})
                  AND NOT EXISTS (SELECT 1 FROM {ENTRY} WHERE id = OLD.entry_id))
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: DELETE of a seal refused'); END""",
    "audit_checkpoint_no_update": f"""
        CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON {CHECKPOINT}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: UPDATE of a checkpoint refused'); END""",
    "audit_checkpoint_no_delete": f"""
        CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON {CHECKPOINT}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: DELETE of a checkpoint refused'); END""",
}

# 23000 integrity_constraint_violation: Django raises IntegrityError on both vendors.
PG_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION duban_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '{REFUSED}: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = '23000';
    END $$""",
    f"""
    CREATE OR REPLACE FUNCTION duban_audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {MARKER})
         AND OLD.created_at < now() - interval '{RETENTION_DAYS} days' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '{REFUSED}: % on % refused (entries younger than {RETENTION_DAYS} days are kept)',
        TG_OP, TG_TABLE_NAME USING ERRCODE = '23000';
    END $$""",
    f"""
    CREATE OR REPLACE FUNCTION duban_audit_seal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {MARKER})
         AND NOT EXISTS (SELECT 1 FROM {ENTRY} WHERE id = OLD.entry_id) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '{REFUSED}: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = '23000';
    END $$""",
]
PG_TRIGGERS = {
    "audit_entry_guard": (ENTRY, "BEFORE UPDATE OR DELETE", "ROW", "duban_audit_entry_guard"),
    "audit_entry_no_truncate": (ENTRY, "BEFORE TRUNCATE", "STATEMENT", "duban_audit_refuse"),
    "audit_seal_guard": (SEAL, "BEFORE UPDATE OR DELETE", "ROW", "duban_audit_seal_guard"),
    "audit_seal_no_truncate": (SEAL, "BEFORE TRUNCATE", "STATEMENT", "duban_audit_refuse"),
    "audit_checkpoint_guard": (CHECKPOINT, "BEFORE UPDATE OR DELETE", "ROW", "duban_audit_refuse"),
    "audit_checkpoint_no_truncate": (CHECKPOINT, "BEFORE TRUNCATE", "STATEMENT", "duban_audit_refuse"),
}


def trigger_names(vendor: str) -> list[str]:
    return list(SQLITE_TRIGGERS if vendor == "sqlite" else PG_TRIGGERS)


def install(connection) -> None:
    """Create (or re-create) every guard. Idempotent."""
    remove(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in PG_FUNCTIONS:
                cursor.execute(sql)
            for name, (table, when, level, function) in PG_TRIGGERS.items():
                cursor.execute(
                    f"CREATE TRIGGER {name} {when} ON {table} FOR EACH {level} EXECUTE FUNCTION {function}()"
                )
            for table in (ENTRY, SEAL, CHECKPOINT):
                cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC")
        else:
            raise NotImplementedError(f"no audit guards for {connection.vendor}")


def remove(connection) -> None:
    """Drop every guard (migrating backwards, and the test suite's flush between tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, (table, *_rest) in PG_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def missing(connection) -> list[str]:
    """The guards that should exist but do not (or are disabled)."""
    names = trigger_names(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in names if name not in present]
