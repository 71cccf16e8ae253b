"""The database itself refuses to change or remove audit rows (ORM and raw SQL alike)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from duban import audit
from duban.audit import guards
from duban.audit.events import AuditEvent
from duban.audit.models import AuditCheckpoint, AuditEntry, AuditPurgeMarker, AuditSeal

from .helpers import raw

pytestmark = pytest.mark.django_db
REFUSED = guards.REFUSED


def _entry(**kwargs) -> AuditEntry:
    with transaction.atomic():
        return audit.record(AuditEvent.CONFIG_CHANGED, description="配置", **kwargs)


def _old_entry() -> AuditEntry:
    long_ago = timezone.now() - datetime.timedelta(days=guards.RETENTION_DAYS + 5)
    with mock.patch("django.utils.timezone.now", return_value=long_ago):
        return _entry()


def refused(fn) -> None:
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        fn()


def test_orm_cannot_update_or_delete_an_entry():
    """save(), update(), delete() on an entry all fail in the database."""
    entry = _entry()

    def save():
        entry.reason = "改"
        entry.save()

    refused(save)
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="改"))
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    refused(entry.delete)
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_raw_sql_cannot_update_or_delete_an_entry():
    entry = _entry()

    refused(lambda: raw("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entry.pk]))
    refused(lambda: raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk]))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_seals_and_checkpoints_are_append_only():
    seal = AuditSeal.objects.create(
        seq=1, entry_id=1, digest="0" * 64, chain="0" * 64, sealed_at=timezone.now()
    )
    cp = AuditCheckpoint.objects.create(
        before=timezone.now(), through_seq=0, chain="0" * 64, entries_removed=0, mac="0" * 64
    )

    refused(lambda: AuditSeal.objects.filter(pk=seal.pk).update(chain="1" * 64))
    refused(lambda: raw("DELETE FROM audit_auditseal"))
    refused(lambda: AuditCheckpoint.objects.filter(pk=cp.pk).update(entries_removed=9))
    refused(lambda: raw("DELETE FROM audit_auditcheckpoint"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_is_refused_on_postgresql():
    for table in (guards.ENTRY, guards.SEAL, guards.CHECKPOINT):
        refused(lambda table=table: raw(f"TRUNCATE {table}"))


def test_a_young_entry_cannot_go_even_on_the_purge_path():
    """With the purge marker present, an entry younger than 180 days is still refused."""
    entry = _entry()

    def purge_young():
        AuditPurgeMarker.objects.create()
        AuditEntry.objects.filter(pk=entry.pk).delete()

    refused(purge_young)


def test_an_old_entry_goes_only_on_the_purge_path():
    """An entry older than 180 days is refused without a marker and deleted with one."""
    old = _old_entry()
    refused(lambda: AuditEntry.objects.filter(pk=old.pk).delete())

    with transaction.atomic():
        AuditPurgeMarker.objects.create()
        AuditEntry.objects.filter(pk=old.pk).delete()
        AuditPurgeMarker.objects.all().delete()

    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_a_seal_goes_on_the_purge_path_only_after_its_entry():
    """A seal may be deleted (with the marker) only once the entry it covers is gone."""
    old = _old_entry()
    AuditSeal.objects.create(
        seq=1, entry_id=old.pk, digest="0" * 64, chain="0" * 64, sealed_at=timezone.now()
    )

    def seal_first():
        AuditPurgeMarker.objects.create()
        AuditSeal.objects.filter(seq=1).delete()

    refused(seal_first)


def test_guards_are_installed_by_the_migrations():
    assert guards.missing(connection) == []
