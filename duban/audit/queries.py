"""Reads of the audit trail for pages: the admin's list and an object's own history."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet

from duban.accounts import policy

from .models import AuditEntry

HISTORY_LIMIT = 20


def entries_for(user) -> QuerySet[AuditEntry]:
    """Everything the audit administrator may read (nothing for anyone else)."""
    return AuditEntry.objects.visible_to(user).order_by("-id")


def _label(target_type: str, field: str) -> str:
    try:
        model = apps.get_model(target_type)
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        # AttributeError: a reverse relation (e.g. "nodes") has no verbose_name.
        return field


def change_rows(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """{field: [old, new]} as (label, old, new) rows, labels from the object's model."""
    return [
        (_label(entry.target_type, field), *[*pair, None, None][:2])
        for field, pair in (entry.changes or {}).items()
    ]


def history_for(user, obj: Model, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    """The latest audit entries about `obj` (as target or parent), for anyone who may view `obj`.

    For the object's own page: `{% include "audit/partials/object_history.html" %}` with
    `history=history_for(request.user, obj)`. Values were masked when recorded.
    """
    if not policy.can(user, policy.VIEW, obj):
        return []
    entries = list(AuditEntry.objects.for_object(obj).order_by("-id")[:limit])
    for entry in entries:
        entry.change_list = change_rows(entry)  # type: ignore[attr-defined]
    return entries
