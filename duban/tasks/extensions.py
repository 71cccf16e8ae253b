"""Extension requests (延期申请): asked by the lead unit before the deadline, decided by the office.

Every request is kept; the task keeps its original deadline and counts the approved moves.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent

from . import clock, rules
from .choices import ExtensionStatus
from .models import ExtensionRequest, Task
from .services import _changes, _locked, _notify_office, _notify_units, _save, _text, calendar_text

# --- extensions ----------------------------------------------------------------------------------


@transaction.atomic
def request_extension(task: Task, *, actor, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    """The lead unit asks for a later deadline (延期申请), before the deadline has passed."""
    task = _locked(task)
    rules.require_lead(actor, task)
    rules.require_state(task, "request_extension")
    today = clock.today()
    if today > task.deadline:
        raise ValidationError(_("已超过办结时限，不能再申请延期"))
    reason = _text(reason, "reason", _("请填写延期理由"), 2000)
    if new_deadline is None or new_deadline <= task.deadline:
        raise ValidationError({"new_deadline": [_("申请延至的日期须晚于当前办结时限")]})
    rules.check_deadline(new_deadline, today=today, field="new_deadline")
    if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("已有待审批的延期申请"))
    ext = ExtensionRequest.objects.create(
        task=task,
        previous_deadline=task.deadline,
        requested_deadline=new_deadline,
        reason=reason,
        requested_by=actor,
    )
    clock.stamp(ext)
    audit.record(
        AuditEvent.EXTENSION_REQUESTED,
        actor=actor,
        target=task,
        reason=reason,
        changes={"deadline": [task.deadline.isoformat(), new_deadline.isoformat()]},
    )
    _notify_office(
        task,
        kind="tasks.extension_requested",
        title=_("延期申请：%(title)s") % {"title": task.title},
        body=reason[:200],
        key=f"tasks.extension_requested:{ext.pk}",
    )
    return ext


def _decide(ext: ExtensionRequest, actor, status: str, note: str) -> tuple[ExtensionRequest, Task]:
    task = _locked(ext.task)
    rules.require_office(actor, task.region)
    rules.require_state(task, "decide_extension")
    ext = ExtensionRequest.objects.select_for_update().get(pk=ext.pk)
    if ext.status != ExtensionStatus.PENDING:
        raise ValidationError(_("该延期申请已审批"))
    ext.status, ext.decided_by, ext.decided_at, ext.decision_note = status, actor, clock.now(), note
    ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return ext, task


@transaction.atomic
def approve_extension(ext: ExtensionRequest, *, actor, note: str = "") -> ExtensionRequest:
    """The new deadline applies; the original deadline stays on the task and the move is counted."""
    ext, task = _decide(ext, actor, ExtensionStatus.APPROVED, (note or "").strip()[:500])
    before = audit.snapshot(task, ["deadline", "extension_count"])
    task.deadline = ext.requested_deadline
    task.extension_count += 1
    _save(task, ["deadline", "extension_count"])
    audit.record(
        AuditEvent.EXTENSION_APPROVED,
        actor=actor,
        target=task,
        changes=_changes(task, before),
        reason=ext.decision_note,
    )
    _notify_units(
        task,
        [task.lead_unit_id],
        kind="tasks.extension_decided",
        title=_("延期申请已同意：%(title)s") % {"title": task.title},
        body=_("办结时限延至%(day)s") % {"day": calendar_text(task.deadline)},
        key=f"tasks.extension_decided:{ext.pk}",
    )
    return ext


@transaction.atomic
def refuse_extension(ext: ExtensionRequest, *, actor, note: str) -> ExtensionRequest:
    note = _text(note, "note", _("请填写不同意的理由"), 500)
    ext, task = _decide(ext, actor, ExtensionStatus.REFUSED, note)
    audit.record(
        AuditEvent.EXTENSION_REFUSED,
        actor=actor,
        target=task,
        reason=note,
        changes={"requested_deadline": [ext.requested_deadline.isoformat(), None]},
    )
    _notify_units(
        task,
        [task.lead_unit_id],
        kind="tasks.extension_decided",
        title=_("延期申请未同意：%(title)s") % {"title": task.title},
        body=note,
        key=f"tasks.extension_decided:{ext.pk}",
    )
    return ext
