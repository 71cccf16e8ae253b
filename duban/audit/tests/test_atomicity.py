"""An audit entry lives and dies with the change it records."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError, transaction

from duban import audit
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.models import Unit
from duban.org.services import update_unit

from .helpers import admin_and_unit

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_failed_transaction_leaves_no_entry():
    """When the service's transaction rolls back after record(), the entry is gone with it."""
    admin, unit = admin_and_unit()
    before = AuditEntry.objects.count()

    with pytest.raises(Boom), transaction.atomic():
        update_unit(unit, actor=admin, name="改名后的单位")
        raise Boom

    assert AuditEntry.objects.count() == before
    assert Unit.objects.get(pk=unit.pk).name == unit.name


def test_a_failing_audit_write_fails_the_change():
    """If the audit entry cannot be written, the business row is not saved either."""
    admin, unit = admin_and_unit()
    before = AuditEntry.objects.count()

    with (
        mock.patch.object(AuditEntry.objects, "create", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        update_unit(unit, actor=admin, name="改名后的单位")

    assert Unit.objects.get(pk=unit.pk).name == unit.name
    assert AuditEntry.objects.count() == before


def test_the_service_writes_its_entry_with_the_change():
    admin, unit = admin_and_unit()

    update_unit(unit, actor=admin, sort_order=7)

    entry = AuditEntry.objects.filter(event=AuditEvent.UNIT_CHANGED, target_id=str(unit.pk)).get()
    assert entry.changes == {"sort_order": [0, 7]}
    assert entry.actor == admin


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    """Outside any transaction record() refuses (and the suite's flush still empties the table)."""
    admin_and_unit()
    with pytest.raises(RuntimeError):
        audit.record(AuditEvent.CONFIG_CHANGED)
