"""Extension requests (延期申请): asked by the lead unit before the deadline, decided by the office
(then by the leader in charge when `DUBAN_TASKS["extension_leader_approval"]` is on).

Every request is kept; the task keeps its original deadline and counts the approved moves.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent
from duban.notifications.services import notify

from . import clock, rules
from .choices import ExtensionStatus
from .models import ExtensionRequest, Task
from .reminders import config
from .services import (
    _changes,
    _locked,
    _notify_office,
    _notify_units,
    _save,
    _text,
    calendar_text,
    task_url,
)

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
    if task.extensions.filter(status__in=[ExtensionStatus.PENDING, ExtensionStatus.PENDING_LEADER]).exists():
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


def leader_step(task: Task) -> bool:
    """Whether the leader in charge decides after the office (setting on and a leader named)."""
    return bool(config()["extension_leader_approval"]) and task.leader_in_charge_id is not None


def decider_of(ext: ExtensionRequest, task: Task, user) -> bool:
    """Whether `user` rules on this request at its current step."""
    if ext.status == ExtensionStatus.PENDING:
        return rules.is_office(user, task.region)
    if ext.status == ExtensionStatus.PENDING_LEADER:
        return user.is_authenticated and user.is_active and task.leader_in_charge_id == user.pk
    return False


def _open(ext: ExtensionRequest, actor) -> tuple[ExtensionRequest, Task]:
    """Lock the task and the request; the person ruling must be the one of the current step."""
    task = _locked(ext.task)
    ext = ExtensionRequest.objects.select_for_update().get(pk=ext.pk)
    if ext.status == ExtensionStatus.PENDING_LEADER:
        if task.leader_in_charge_id != actor.pk:
            raise PermissionDenied(_("该延期申请待分管领导审批"))
    elif ext.status == ExtensionStatus.PENDING:
        rules.require_office(actor, task.region)
    else:
        raise ValidationError(_("该延期申请已审批"))
    rules.require_state(task, "decide_extension")
    return ext, task


def _finish(ext: ExtensionRequest, actor, status: str, note: str) -> None:
    ext.status, ext.decided_by, ext.decided_at, ext.decision_note = status, actor, clock.now(), note
    ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])


def _forward(ext: ExtensionRequest, task: Task, actor, note: str) -> ExtensionRequest:
    """The office agrees; the leader in charge decides last. The deadline does not move yet."""
    ext.status, ext.office_decided_by, ext.office_decided_at = (
        ExtensionStatus.PENDING_LEADER,
        actor,
        clock.now(),
    )
    ext.office_note = note
    ext.save(update_fields=["status", "office_decided_by", "office_decided_at", "office_note", "updated_at"])
    audit.record(
        AuditEvent.EXTENSION_FORWARDED,
        actor=actor,
        target=task,
        reason=note,
        changes={"extension_status": [ExtensionStatus.PENDING.value, ExtensionStatus.PENDING_LEADER.value]},
    )
    if not clock.replaying():
        notify(
            [task.leader_in_charge],
            kind="tasks.extension_to_leader",
            title=_("延期申请待您审批：%(title)s") % {"title": task.title},
            body=_("申请延至%(day)s；%(reason)s")
            % {"day": calendar_text(ext.requested_deadline), "reason": ext.reason[:200]},
            url=task_url(task),
            target=task,
            key=f"tasks.extension_to_leader:{ext.pk}",
        )
    return ext


@transaction.atomic
def approve_extension(ext: ExtensionRequest, *, actor, note: str = "") -> ExtensionRequest:
    """The new deadline applies on the final approval: the office's, or the leader in charge's when
    `extension_leader_approval` is on. The original deadline stays on the task and the move is counted."""
    note = (note or "").strip()[:500]
    ext, task = _open(ext, actor)
    if ext.status == ExtensionStatus.PENDING and leader_step(task):
        return _forward(ext, task, actor, note)
    _finish(ext, actor, ExtensionStatus.APPROVED, note)
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
    _tell_decision(
        task,
        ext,
        _("延期申请已同意：%(title)s"),
        _("办结时限延至%(day)s") % {"day": calendar_text(task.deadline)},
    )
    return ext


@transaction.atomic
def refuse_extension(ext: ExtensionRequest, *, actor, note: str) -> ExtensionRequest:
    """Refused at either step, the request ends there and the deadline stays."""
    note = _text(note, "note", _("请填写不同意的理由"), 500)
    ext, task = _open(ext, actor)
    _finish(ext, actor, ExtensionStatus.REFUSED, note)
    audit.record(
        AuditEvent.EXTENSION_REFUSED,
        actor=actor,
        target=task,
        reason=note,
        changes={"requested_deadline": [ext.requested_deadline.isoformat(), None]},
    )
    _tell_decision(task, ext, _("延期申请未同意：%(title)s"), note)
    return ext


def _tell_decision(task: Task, ext: ExtensionRequest, title, body: str) -> None:
    """The lead unit learns the outcome; so does the office when the leader in charge decided."""
    key = f"tasks.extension_decided:{ext.pk}"
    text = title % {"title": task.title}
    _notify_units(task, [task.lead_unit_id], kind="tasks.extension_decided", title=text, body=body, key=key)
    if ext.office_decided_by_id is not None:
        _notify_office(task, kind="tasks.extension_decided", title=text, body=body, key=key)
