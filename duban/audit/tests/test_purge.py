"""Purge: only entries older than 180 days go, the purge is audited, the chain still verifies."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from duban import audit
from duban.audit import chain, guards
from duban.audit.events import AuditEvent
from duban.audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from duban.audit.purge import earliest_allowed_cutoff, purge

from .helpers import tamper

pytestmark = pytest.mark.django_db


def _entries(n: int, *, days_ago: int = 0) -> list[AuditEntry]:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=when), transaction.atomic():
        return [audit.record(AuditEvent.CONFIG_CHANGED, description=f"配置{i}") for i in range(n)]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return call


def test_purge_removes_only_old_entries_and_the_chain_still_verifies(seal, run):
    """Given old and recent sealed entries, purging removes the old ones, leaves a checkpoint and an entry."""
    old = _entries(4, days_ago=guards.RETENTION_DAYS + 20)
    recent = _entries(3)
    seal()

    result = run(purge, earliest_allowed_cutoff())

    assert result.removed == 4
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in recent]).count() == 3
    assert AuditCheckpoint.objects.get().through_seq == result.through_seq
    assert not AuditSeal.objects.filter(seq__lte=result.through_seq).exists()
    purged = AuditEntry.objects.get(event=AuditEvent.AUDIT_PURGED)
    assert purged.changes["removed"] == [None, 4]
    seal()
    verdict = chain.verify()
    assert verdict.ok, verdict.problems
    assert verdict.checked == 4  # three recent + the purge entry


def test_a_purge_within_180_days_is_refused():
    """A cut-off later than 180 days ago is refused with a Chinese message, nothing removed."""
    _entries(2)
    with pytest.raises(ValidationError, match="180 天"):
        purge(timezone.localdate() - datetime.timedelta(days=10))
    assert AuditEntry.objects.count() == 2


def test_a_purge_is_refused_while_the_chain_is_broken(seal):
    """Tampering must not be swept away by a purge."""
    old = _entries(2, days_ago=guards.RETENTION_DAYS + 20)
    seal()
    tamper("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [old[0].pk])
    guards.install(connection)

    with pytest.raises(ValidationError, match="被篡改"):
        purge(earliest_allowed_cutoff())
    assert AuditEntry.objects.filter(pk=old[1].pk).exists()


def test_removing_the_checkpoint_is_detected(seal, run):
    """Without the checkpoint the chain starts at the genesis again and the gap shows."""
    _entries(2, days_ago=guards.RETENTION_DAYS + 20)
    _entries(2)
    seal()
    run(purge, earliest_allowed_cutoff())

    tamper("DELETE FROM audit_auditcheckpoint")

    assert chain.verify().problem.what == chain.SEAL_MISSING


def test_a_forged_checkpoint_is_detected(seal, run):
    """A checkpoint written without the key does not verify."""
    _entries(2, days_ago=guards.RETENTION_DAYS + 20)
    _entries(2)
    seal()
    run(purge, earliest_allowed_cutoff())

    tamper("UPDATE audit_auditcheckpoint SET entries_removed = 1")

    assert chain.verify().problem.what == chain.CHECKPOINT_INVALID
