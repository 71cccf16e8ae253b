"""Writing audit entries. The only code that inserts into the audit table."""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from django.db import models, transaction

from .context import current
from .events import AuditEvent, Outcome
from .models import AuditEntry

# Never stored at all, even masked.
SECRET_FIELDS = re.compile(r"password|secret|token|session|otp|key", re.IGNORECASE)
# Stored masked: enough to recognise, not enough to use.
PHONE_FIELDS = re.compile(r"phone|mobile|tel", re.IGNORECASE)
ID_FIELDS = re.compile(r"id_number|id_card|identity", re.IGNORECASE)
# The same numbers inside free text (a reason, a description, any changed value).
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def mask_phone(value: str) -> str:
    digits = str(value)
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"


def mask_id_number(value: str) -> str:
    text = str(value)
    return text[:4] + "*" * max(len(text) - 8, 4) + text[-4:] if len(text) >= 8 else "****"


def mask_numbers(text: str) -> str:
    """Mask mainland ID card and mobile numbers wherever they appear in a text."""
    text = ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """A JSON-safe, stable rendering of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


def _masked(field: str, value: Any) -> Any:
    if SECRET_FIELDS.search(field):
        return "[已隐藏]"
    if value in (None, ""):
        return value
    if PHONE_FIELDS.search(field):
        return mask_phone(value)
    if ID_FIELDS.search(field):
        return mask_id_number(value)
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields`, foreign keys by id, ready for `diff`."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _plain(getattr(instance, attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _actor_facts(actor) -> tuple[str, str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "", "", ""
    from duban.accounts.choices import Role
    from duban.accounts.policy import grants_of

    roles = "、".join(sorted(str(Role(r).label) for r in grants_of(actor).roles))
    unit = actor.unit.name if actor.unit_id else ""
    return actor.display_name, roles, unit


def _clean_text(value: str, limit: int) -> str:
    # Control characters (and Unicode line separators, bidi overrides) would let a crafted
    # name forge lines or reorder text in exported logs.
    return mask_numbers(CONTROL.sub(" ", value))[:limit]


def record(
    event: str,
    *,
    actor=None,
    target: models.Model | None = None,
    parent: models.Model | None = None,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    outcome: str = Outcome.SUCCESS,
    description: str | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    """Write one entry. Must run inside the transaction of the change it describes."""
    if event not in AuditEvent.values:
        raise ValueError(f"unknown audit event {event!r}: add it to duban/audit/events.py")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    ctx = current()
    name, roles, unit = _actor_facts(actor)
    masked = {
        field: [_scrub(_masked(field, _plain(v))) for v in pair] for field, pair in (changes or {}).items()
    }
    return AuditEntry.objects.create(
        event=event,
        outcome=outcome,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_clean_text(actor_name or name, 64),
        actor_role=roles[:128],
        actor_unit=unit[:64],
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=_clean_text(description if description is not None else str(target or ""), 255),
        parent_type=parent._meta.label if parent is not None else "",
        parent_id=str(parent.pk) if parent is not None else "",
        changes=masked,
        reason=_clean_text(reason, 2000),
        request_id=ctx.request_id,
        address=ctx.address,
        source=ctx.source,
    )
