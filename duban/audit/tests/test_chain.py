"""The keyed hash chain: sealing is separate from writing; verify names the first bad entry."""

from __future__ import annotations

import stat

import pytest
from django.db import transaction

from duban import audit
from duban.audit import chain, keys
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry, AuditSeal
from duban.org.factories import make_unit

from .helpers import raw, tamper

pytestmark = pytest.mark.django_db


def _entries(n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [audit.record(AuditEvent.CONFIG_CHANGED, description=f"配置{i}") for i in range(n)]


def test_sealing_covers_every_entry_once_and_verify_passes(seal, audit_key_dir):
    """Given entries written by services, when sealed, then every entry has one seal and verify is ok."""
    make_unit()
    _entries(3)

    sealed = seal()

    assert sealed == AuditEntry.objects.count() == AuditSeal.objects.count()
    assert seal() == 0  # nothing twice
    result = chain.verify()
    assert result.ok, result.problems
    assert result.checked == sealed
    for name in ("audit.key", "audit.head"):
        assert stat.S_IMODE((audit_key_dir / name).stat().st_mode) == 0o600
    assert keys.read_head().seq == sealed


def test_young_entries_wait_for_the_next_batch():
    """Entries younger than the minimum age are left for a later batch (in-flight transactions)."""
    _entries(2)

    assert chain.seal_pending() == 0  # default: only entries a few seconds old
    assert AuditSeal.objects.count() == 0


def test_an_entry_committed_late_below_the_head_is_sealed_next(seal):
    """Chain order is seal order: an older id that appears after newer ones were sealed is appended."""
    first, second = _entries(2)
    key = keys.load_key(create=True)
    row = AuditEntry.objects.filter(pk=second.pk).values(*chain.CHAIN_FIELDS).get()
    chain._seal_batch([row], key)  # as if `first` had not committed yet

    assert seal() == 1
    assert list(AuditSeal.objects.values_list("entry_id", flat=True)) == [second.pk, first.pk]
    assert chain.verify().ok


def test_editing_an_entry_by_raw_sql_is_named(seal):
    """Given a sealed trail, when one entry is edited with the trigger dropped, verify names it."""
    entries = _entries(5)
    seal()
    victim = entries[2]

    tamper("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改过的理由", victim.pk])

    result = chain.verify()
    assert not result.ok
    assert result.problem.what == chain.EDITED
    assert result.problem.entry_id == victim.pk
    assert result.problem.message == f"第 {victim.pk} 条审计记录被篡改"


def test_editing_an_entry_and_its_unkeyed_digest_is_still_caught(seal):
    """Rewriting the seal's plain digest does not help: the keyed chain value no longer matches."""
    entries = _entries(3)
    seal()
    victim = entries[1]
    tamper("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["别人", victim.pk])
    row = AuditEntry.objects.filter(pk=victim.pk).values(*chain.CHAIN_FIELDS).get()
    tamper(
        "UPDATE audit_auditseal SET digest = %s WHERE entry_id = %s",
        [chain.digest(chain.canonical(row)), victim.pk],
    )

    result = chain.verify()
    assert (result.problem.what, result.problem.entry_id) == (chain.EDITED, victim.pk)


def test_deleting_the_last_entries_is_named(seal):
    """When the newest entries are deleted (their seals remain), verify names the first of them."""
    entries = _entries(5)
    seal()

    tamper("DELETE FROM audit_auditentry WHERE id >= %s", [entries[3].pk])

    result = chain.verify()
    assert (result.problem.what, result.problem.entry_id) == (chain.REMOVED, entries[3].pk)
    assert result.problem.message == f"第 {entries[3].pk} 条审计记录被删除"


def test_deleting_the_last_entries_and_their_seals_is_caught_by_the_head(seal):
    """Deleting entries AND seals leaves a consistent-looking chain; the head file says otherwise."""
    entries = _entries(5)
    seal()
    head = keys.read_head()

    tamper("DELETE FROM audit_auditseal WHERE entry_id >= %s", [entries[3].pk])
    tamper("DELETE FROM audit_auditentry WHERE id >= %s", [entries[3].pk])

    result = chain.verify()
    assert not result.ok
    assert result.problem.what == chain.REMOVED
    assert result.problem.entry_id == head.entry_id == entries[4].pk
    assert f"第 {entries[4].pk} 条审计记录被删除" in result.problem.message


def test_deleting_an_entry_and_its_seal_in_the_middle_is_caught(seal):
    """A hole in the seal sequence is reported even when the head still matches."""
    entries = _entries(5)
    seal()
    tamper("DELETE FROM audit_auditseal WHERE entry_id = %s", [entries[1].pk])
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])

    result = chain.verify()
    assert result.problem.what == chain.SEAL_MISSING
    assert "被删除" in result.problem.message


def test_entries_left_unsealed_too_long_are_reported(seal):
    """An entry that is not sealed within the grace period is a problem (an inserted row, a stuck sealer)."""
    entries = _entries(2)

    result = chain.verify(unsealed_grace=chain.datetime.timedelta(0))

    assert (result.problem.what, result.problem.entry_id) == (chain.UNSEALED, entries[0].pk)


def test_missing_guards_are_reported(seal):
    """A dropped trigger is reported even when no row was touched."""
    _entries(1)
    seal()
    tamper("SELECT 1")

    result = chain.verify()
    assert [p.what for p in result.problems] == [chain.GUARDS_MISSING]


def test_a_lost_key_is_never_silently_replaced(seal, audit_key_dir):
    """Once seals exist, a missing key is an error; a fresh key would break every seal."""
    _entries(2)
    seal()
    (audit_key_dir / "audit.key").unlink()
    _entries(1)

    with pytest.raises(keys.KeyMissing):
        seal()
    assert chain.verify().problem.what == chain.KEY_MISSING


def test_the_key_may_come_from_the_environment(seal, audit_key_dir, monkeypatch):
    """DUBAN_AUDIT_KEY replaces the key file (nothing is written to disk but the head)."""
    monkeypatch.setenv("DUBAN_AUDIT_KEY", "k" * 40)
    _entries(2)
    seal()

    assert not (audit_key_dir / "audit.key").exists()
    assert chain.verify().ok
    monkeypatch.setenv("DUBAN_AUDIT_KEY", "x" * 40)
    assert chain.verify().problem.what == chain.EDITED


def test_the_head_never_moves_backwards(audit_key_dir):
    """Two sealers finishing out of order leave the newer head in place."""
    keys.write_head(keys.Head(seq=5, chain="a" * 64, entry_id=9))
    keys.write_head(keys.Head(seq=3, chain="b" * 64, entry_id=7))

    assert keys.read_head().seq == 5


def test_reset_head_accepts_the_database_after_a_restore(seal):
    """After a deliberate restore of an older backup, reset_head makes the database's last seal the head."""
    _entries(2)
    seal()
    keys.write_head(keys.Head(seq=99, chain="c" * 64, entry_id=99))
    assert not chain.verify().ok

    chain.reset_head()

    assert chain.verify().ok


def test_every_entry_field_is_covered_by_the_chain_or_listed_as_not():
    """A field added to AuditEntry must be a conscious decision: chained (new version) or not."""
    fields = {f.attname for f in AuditEntry._meta.concrete_fields}

    assert fields == set(chain.CHAIN_FIELDS) | set(chain.NOT_CHAINED)


def test_canonical_form_is_stable_across_reads(seal):
    """The bytes sealed are the bytes read back later (JSON order, time zone, unicode)."""
    with transaction.atomic():
        entry = audit.record(
            AuditEvent.CONFIG_CHANGED, description="中文", changes={"b": [1, "二"], "a": [None, True]}
        )
    first = chain.canonical(AuditEntry.objects.filter(pk=entry.pk).values(*chain.CHAIN_FIELDS).get())
    raw("SELECT 1")
    second = chain.canonical(AuditEntry.objects.filter(pk=entry.pk).values(*chain.CHAIN_FIELDS).get())

    assert first == second
    assert "中文".encode() in first
