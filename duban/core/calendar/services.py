"""Every write to the working-day calendar: one transaction each, with its audit entry.

Only a system administrator changes the calendar (policy rule "core.WorkdayAdjustment").
Each write empties the adjustments cache at once and again when the transaction commits,
so the same process never computes with a stale calendar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent
from duban.core.models import WorkdayAdjustment

from .days import clear_cache
from .importing import parse_lines

FIELDS = ["date", "is_workday", "name", "note"]


def _changed() -> None:
    clear_cache()
    transaction.on_commit(clear_cache)


@transaction.atomic
def add_adjustment(
    *,
    actor,
    date: datetime.date,
    is_workday: bool,
    name: str,
    note: str = "",
    reason: str = "",
    check_access: bool = True,
) -> WorkdayAdjustment:
    if check_access:
        policy.require_role(actor, Role.SYSTEM_ADMIN)
    if WorkdayAdjustment.objects.filter(date=date).exists():
        raise ValidationError({"date": [_("该日期已有调整记录，请先删除原记录")]})
    adjustment = WorkdayAdjustment(
        date=date,
        is_workday=is_workday,
        name=name.strip(),
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    adjustment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            adjustment.save()
    except IntegrityError as exc:  # another administrator entered the same date just now
        raise ValidationError({"date": [_("该日期已有调整记录，请先删除原记录")]}) from exc
    audit.record(
        AuditEvent.CALENDAR_CHANGED,
        actor=actor,
        target=adjustment,
        changes=audit.diff({}, audit.snapshot(adjustment, FIELDS)),
        reason=reason,
    )
    _changed()
    return adjustment


@transaction.atomic
def delete_adjustment(
    adjustment: WorkdayAdjustment, *, actor, reason: str = "", check_access: bool = True
) -> None:
    adjustment = WorkdayAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if check_access:
        policy.require(actor, policy.CHANGE, adjustment)
    audit.record(
        AuditEvent.CALENDAR_CHANGED,
        actor=actor,
        target=adjustment,
        changes=audit.diff(audit.snapshot(adjustment, FIELDS), {}),
        reason=reason or _("删除工作日调整"),
    )
    adjustment.delete()
    _changed()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    years: tuple[int, ...]


@transaction.atomic
def import_adjustments(text: str, *, actor, check_access: bool = True) -> ImportResult:
    """Create or update one adjustment per pasted line; all or nothing.

    A line whose date already has the same values changes nothing, so pasting the same
    text twice leaves the calendar (and the audit trail) as it was.
    """
    if check_access:
        policy.require_role(actor, Role.SYSTEM_ADMIN)
    lines = parse_lines(text)
    existing = {
        a.date: a
        for a in WorkdayAdjustment.objects.select_for_update().filter(date__in=[x.date for x in lines])
    }
    created = updated = unchanged = 0
    for line in lines:
        values = {"is_workday": line.is_workday, "name": line.name, "note": line.note}
        adjustment = existing.get(line.date)
        if adjustment is None:
            adjustment = WorkdayAdjustment(
                date=line.date, created_by=actor if getattr(actor, "pk", None) else None
            )
            before: dict = {}
            created += 1
        else:
            before = audit.snapshot(adjustment, FIELDS)
            if all(getattr(adjustment, k) == v for k, v in values.items()):
                unchanged += 1
                continue
            updated += 1
        for key, value in values.items():
            setattr(adjustment, key, value)
        adjustment.full_clean(validate_unique=False)
        if before:
            adjustment.save(update_fields=[*values, "updated_at"])
        else:
            adjustment.save()
        audit.record(
            AuditEvent.CALENDAR_CHANGED,
            actor=actor,
            target=adjustment,
            changes=audit.diff(before, audit.snapshot(adjustment, FIELDS)),
            reason=_("粘贴导入第%(n)d行") % {"n": line.line_no},
        )
    _changed()
    return ImportResult(created, updated, unchanged, tuple(sorted({x.date.year for x in lines})))
