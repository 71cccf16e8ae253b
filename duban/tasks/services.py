"""Every write of the tasks module: one service per move, each audited in its transaction.

Each transition locks the task, checks who acts (rules.py) and the state (choices.TRANSITIONS),
saves with update_fields, records its audit entry and notifies the people concerned. Bad input
raises ValidationError with a Chinese message and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent
from duban.core import calendar
from duban.notifications.services import notify
from duban.org.models import Unit

from . import clock, rules
from .choices import (
    FEEDBACK_INTERVAL_DAYS,
    TRANSITIONS,
    Category,
    ChaseKind,
    CoopState,
    FeedbackFrequency,
    FeedbackKind,
    Priority,
    Rating,
    TaskStatus,
)
from .models import Chase, Feedback, Instruction, Meeting, Task, TaskNode, TaskUnit

TASK_FIELDS = [
    "title",
    "requirement",
    "meeting",
    "instruction",
    "lead_unit",
    "leader_in_charge",
    "priority",
    "deadline",
    "feedback_frequency",
    "category",
    "parent",
    "is_public",
    "requires_evidence",
    "status",
]
MAX_TEXT = 5000


def task_url(task: Task) -> str:
    return reverse("tasks:detail", args=[task.pk])


def _text(value: str, field: str, message: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > limit:
        raise ValidationError({field: [_("内容不能超过%(n)s字") % {"n": limit}]})
    return value


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("lead_unit", "region").get(pk=task.pk)


def _move(task: Task, action: str, *, extra: Sequence[str] = ()) -> dict:
    """Apply the state change of `action` (checked against the table); returns the audit diff."""
    rules.require_state(task, action)
    before = audit.snapshot(task, ["status", *extra])
    task.status = TRANSITIONS[action][1]
    return before


def _save(task: Task, fields: Iterable[str]) -> None:
    task.save(update_fields=[*dict.fromkeys([*fields, "updated_at"])])


def _changes(task: Task, before: dict) -> dict:
    return audit.diff(before, audit.snapshot(task, list(before)))


def _notify_units(task: Task, unit_ids, *, kind: str, title: str, body: str = "", key: str) -> None:
    if clock.replaying():
        return
    notify(
        rules.unit_people(unit_ids),
        kind=kind,
        title=title,
        body=body,
        url=task_url(task),
        target=task,
        key=key,
    )


def _notify_office(task: Task, *, kind: str, title: str, body: str = "", key: str) -> None:
    if clock.replaying():
        return
    notify(
        rules.office_people(task.region),
        kind=kind,
        title=title,
        body=body,
        url=task_url(task),
        target=task,
        key=key,
    )


# --- creating and assigning --------------------------------------------------------------------


def check_choices(priority: str, frequency: str, category: str) -> None:
    for field, value, choices in (
        ("priority", priority, Priority),
        ("feedback_frequency", frequency, FeedbackFrequency),
        ("category", category, Category),
    ):
        if value not in choices.values:
            raise ValidationError({field: [_("无效的选项")]})


def check_nodes(nodes: Sequence[tuple[str, datetime.date]], deadline: datetime.date, today) -> None:
    for title, due in nodes:
        _text(title, "nodes", _("请填写节点内容"), 200)
        rules.check_deadline(due, today=today, field="nodes")
        if due > deadline:
            raise ValidationError({"nodes": [_("时间节点不能晚于办结时限")]})


@transaction.atomic
def create_task(
    *,
    actor,
    title: str,
    lead_unit: Unit,
    deadline: datetime.date,
    requirement: str = "",
    meeting: Meeting | None = None,
    instruction: Instruction | None = None,
    cooperating_units: Iterable[Unit] = (),
    leader_in_charge=None,
    priority: str = Priority.NORMAL,
    feedback_frequency: str = FeedbackFrequency.WEEKLY,
    category: str = Category.OTHER,
    concerns=None,
    parent: Task | None = None,
    is_public: bool = False,
    requires_evidence: bool = False,
    nodes: Sequence[tuple[str, datetime.date]] = (),
) -> Task:
    """A draft task of the office's county; `assign_task` hands it out."""
    if lead_unit is None:
        raise ValidationError({"lead_unit": [_("请选择牵头单位")]})
    region = rules.county_of(lead_unit)
    if not rules.is_office(actor, region):
        _foreign_unit(actor)
    today = clock.today()
    title = _text(title, "title", _("请填写事项名称"), 200)
    rules.check_deadline(deadline, today=today)
    check_choices(priority, feedback_frequency, category)
    coops = check_units(region, lead_unit, cooperating_units)
    rules.check_leader(leader_in_charge, region)
    check_sources(region, meeting=meeting, instruction=instruction, parent=parent)
    check_nodes(nodes, deadline, today)
    task = Task(
        region=region,
        title=title,
        requirement=(requirement or "").strip()[:MAX_TEXT],
        meeting=meeting,
        instruction=instruction,
        lead_unit=lead_unit,
        leader_in_charge=leader_in_charge,
        priority=priority,
        deadline=deadline,
        original_deadline=deadline,
        feedback_frequency=feedback_frequency,
        category=category,
        parent=parent,
        is_public=is_public,
        requires_evidence=requires_evidence,
        created_by=actor,
    )
    if concerns is not None:
        task.concerns = concerns
    task.save()
    clock.stamp(task)
    TaskUnit.objects.bulk_create([TaskUnit(task=task, unit=u) for u in coops])
    TaskNode.objects.bulk_create([TaskNode(task=task, title=t.strip(), due_date=d) for t, d in nodes])
    changes = audit.diff({}, audit.snapshot(task, TASK_FIELDS))
    if coops:
        changes["cooperating_units"] = [None, [u.name for u in coops]]
    if nodes:
        changes["time_nodes"] = [None, [f"{d.isoformat()} {t}" for t, d in nodes]]
    audit.record(
        AuditEvent.TASK_CREATED, actor=actor, target=task, parent=meeting or instruction, changes=changes
    )
    return task


def check_units(region, lead_unit: Unit, cooperating_units: Iterable[Unit]) -> list[Unit]:
    """The cooperating units without repeats or the lead unit; every unit must be in the county."""
    coops = [u for u in dict.fromkeys(cooperating_units) if u.pk != lead_unit.pk]
    rules.check_units_in(region, [lead_unit], "lead_unit")
    rules.check_units_in(region, coops, "cooperating_units")
    return coops


def check_sources(region, **sources) -> None:
    for field, source in sources.items():
        if source is not None and source.region_id != region.pk:
            raise ValidationError({field: [_("来源不属于本县")]})


def _foreign_unit(actor) -> None:
    from duban.accounts.choices import Role
    from duban.accounts.policy import has_role

    if has_role(actor, Role.SUPERVISION_OFFICE):
        raise ValidationError({"lead_unit": [_("牵头单位不在本县范围内")]})
    raise PermissionDenied(_("只有督查室可以执行此操作"))


@transaction.atomic
def split_task(task: Task, *, actor, units: Iterable[Unit]) -> list[Task]:
    """Sub-tasks, one per unit of a group ("each town shall ..."), with the parent's terms."""
    task = _locked(task)
    rules.require_office(actor, task.region)
    units = list(dict.fromkeys(units))
    if not units:
        raise ValidationError({"units": [_("请选择要分解到的单位")]})
    nodes = [(n.title, n.due_date) for n in task.nodes.all()]
    return [
        create_task(
            actor=actor,
            title=f"{task.title}（{unit.short_name or unit.name}）",
            lead_unit=unit,
            deadline=task.deadline,
            requirement=task.requirement,
            meeting=task.meeting,
            instruction=task.instruction,
            leader_in_charge=task.leader_in_charge,
            priority=task.priority,
            feedback_frequency=task.feedback_frequency,
            category=task.category,
            parent=task,
            is_public=task.is_public,
            requires_evidence=task.requires_evidence,
            nodes=nodes,
        )
        for unit in units
    ]


@transaction.atomic
def assign_task(task: Task, *, actor) -> Task:
    task = _locked(task)
    rules.require_office(actor, task.region)
    if task.deadline < clock.today():
        rules.check_deadline(task.deadline, today=clock.today())
    before = _move(task, "assign")
    task.assigned_at = clock.now()
    _save(task, ["status", "assigned_at"])
    audit.record(AuditEvent.TASK_ASSIGNED, actor=actor, target=task, changes=_changes(task, before))
    title = _("新交办督办事项：%(title)s") % {"title": task.title}
    body = _("办结时限%(day)s，请及时签收。") % {"day": calendar_text(task.deadline)}
    _notify_units(
        task,
        [task.lead_unit_id],
        kind="tasks.assigned",
        title=title,
        body=body,
        key=f"tasks.assigned:{task.pk}",
    )
    coop_ids = list(task.cooperations.values_list("unit_id", flat=True))
    if coop_ids:
        _notify_units(
            task,
            coop_ids,
            kind="tasks.assigned",
            title=_("请配合办理：%(title)s") % {"title": task.title},
            key=f"tasks.assigned:{task.pk}",
        )
    return task


def calendar_text(day: datetime.date) -> str:
    from duban.core.templatetags.duban_format import zh_date

    return zh_date(day)


@transaction.atomic
def accept_task(task: Task, *, actor) -> Task:
    task = _locked(task)
    rules.require_lead(actor, task)
    before = _move(task, "accept")
    task.accepted_at = clock.now()
    _save(task, ["status", "accepted_at"])
    audit.record(AuditEvent.TASK_ACCEPTED, actor=actor, target=task, changes=_changes(task, before))
    return task


def _feedback_late(task: Task, now: datetime.datetime) -> bool:
    """A periodic feedback is late when more than its interval passed since the previous one."""
    interval = FEEDBACK_INTERVAL_DAYS.get(task.feedback_frequency)
    since = task.last_feedback_at or task.accepted_at or task.assigned_at
    return bool(interval and since and (now - since).days > interval)


def _attach(feedback: Feedback, files, actor) -> None:
    if files:
        from duban.attachments import services as attachments

        attachments.add_attachments(feedback, list(files), actor=actor)


@transaction.atomic
def add_feedback(
    task: Task, *, actor, text: str, progress: int | None = None, files: Sequence = ()
) -> Feedback:
    """A progress report by the lead unit, or a cooperating unit's feedback to the lead unit."""
    task = _locked(task)
    unit = rules.unit_on_task(actor, task)
    if unit is None:
        raise PermissionDenied(_("只有牵头单位或配合单位可以反馈"))
    if task.status == TaskStatus.CLOSED:
        raise ValidationError(_("事项已办结，不能再反馈"))
    rules.require_state(task, "feedback")
    text = _text(text, "text", _("请填写反馈内容"))
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": [_("进度应在0到100之间")]})
    now = clock.now()
    feedback = Feedback.objects.create(task=task, unit=unit, author=actor, text=text, progress=progress)
    clock.stamp(feedback)
    _attach(feedback, files, actor)
    before = audit.snapshot(task, ["status", "progress"])
    if unit.pk == task.lead_unit_id:
        task.late_feedback_count += int(_feedback_late(task, now))
        task.status = TRANSITIONS["feedback"][1]
        task.progress = task.progress if progress is None else progress
        task.feedback_count += 1
        task.last_feedback_at = now
        _save(task, ["status", "progress", "feedback_count", "late_feedback_count", "last_feedback_at"])
    else:
        TaskUnit.objects.filter(task=task, unit=unit).update(
            feedback_state=CoopState.FED_BACK, last_feedback_at=now
        )
        _notify_units(
            task,
            [task.lead_unit_id],
            kind="tasks.coop_feedback",
            title=_("%(unit)s反馈了配合事项：%(title)s") % {"unit": unit.name, "title": task.title},
            body=text[:200],
            key=f"tasks.coop_feedback:{feedback.pk}",
        )
    changes = _changes(task, before)
    changes["feedback"] = [None, text[:200]]
    audit.record(
        AuditEvent.TASK_FEEDBACK,
        actor=actor,
        target=feedback,
        parent=task,
        changes=changes,
        description=f"{task.title} · {unit.name}",
    )
    return feedback


@transaction.atomic
def comment_task(task: Task, *, actor, text: str) -> Feedback:
    """A leader's (or the office's) comment on a task in their scope."""
    task = _locked(task)
    if not (rules.is_leader(actor, task.region) or rules.is_office(actor, task.region)):
        raise PermissionDenied(_("只有县领导和督查室可以批注"))
    rules.require_state(task, "comment")
    feedback = Feedback.objects.create(
        task=task, kind=FeedbackKind.COMMENT, author=actor, text=_text(text, "text", _("请填写批注内容"))
    )
    clock.stamp(feedback)
    audit.record(
        AuditEvent.TASK_COMMENTED,
        actor=actor,
        target=feedback,
        parent=task,
        changes={"text": [None, feedback.text[:200]]},
        description=task.title,
    )
    _notify_units(
        task,
        [task.lead_unit_id],
        kind="tasks.comment",
        title=_("领导批注：%(title)s") % {"title": task.title},
        body=feedback.text[:200],
        key=f"tasks.comment:{feedback.pk}",
    )
    return feedback


@transaction.atomic
def complete_node(node: TaskNode, *, actor, done_on: datetime.date | None = None) -> TaskNode:
    task = _locked(node.task)
    rules.require_lead(actor, task)
    rules.require_state(task, "feedback")
    node = TaskNode.objects.select_for_update().get(pk=node.pk)
    if node.done_on:
        raise ValidationError(_("该节点已完成"))
    node.done_on = done_on or clock.today()
    node.save(update_fields=["done_on"])
    audit.record(
        AuditEvent.TASK_NODE_DONE,
        actor=actor,
        target=task,
        changes={"node": [None, f"{node.title} {node.done_on.isoformat()}"]},
    )
    return node


# --- completion, closing, returning ------------------------------------------------------------


@transaction.atomic
def request_completion(task: Task, *, actor, text: str, files: Sequence = ()) -> Feedback:
    """The lead unit says done (申请办结), with evidence when the task requires it."""
    task = _locked(task)
    rules.require_lead(actor, task)
    text = _text(text, "text", _("请填写办结情况"))
    if task.requires_evidence and not files:
        raise ValidationError({"files": [_("本事项要求上传办结佐证材料")]})
    before = _move(task, "request_completion", extra=["completion_requested_on"])
    feedback = Feedback.objects.create(
        task=task, kind=FeedbackKind.COMPLETION, unit=task.lead_unit, author=actor, text=text, progress=100
    )
    clock.stamp(feedback)
    _attach(feedback, files, actor)
    task.completion_requested_on = clock.today()
    task.last_feedback_at = clock.now()
    _save(task, ["status", "completion_requested_on", "last_feedback_at"])
    audit.record(
        AuditEvent.TASK_COMPLETION_REQUESTED,
        actor=actor,
        target=task,
        changes=_changes(task, before),
        reason=text[:500],
    )
    n = task.feedbacks.filter(kind=FeedbackKind.COMPLETION).count()
    _notify_office(
        task,
        kind="tasks.completion_requested",
        title=_("申请办结：%(title)s") % {"title": task.title},
        body=text[:200],
        key=f"tasks.completion_requested:{task.pk}:{n}",
    )
    return feedback


def _has_evidence(task: Task) -> bool:
    from duban.attachments.queries import attachments_of

    latest = task.feedbacks.filter(kind=FeedbackKind.COMPLETION).order_by("-id").first()
    return latest is not None and bool(attachments_of(latest))


@transaction.atomic
def close_task(task: Task, *, actor, timeliness: int, quality: int, note: str = "") -> Task:
    """The office verifies and closes (办结), rating timeliness and quality."""
    task = _locked(task)
    rules.require_office(actor, task.region)
    rules.require_state(task, "close")
    for field, value in (("timeliness", timeliness), ("quality", quality)):
        if value not in Rating.values:
            raise ValidationError({field: [_("请选择评价等级")]})
    if task.requires_evidence and not _has_evidence(task):
        raise ValidationError(_("缺少办结佐证材料，不能办结"))
    fields = ["closed_on", "delay_working_days", "timeliness_rating", "quality_rating", "progress"]
    before = _move(task, "close", extra=fields)
    task.closed_on = clock.today()
    finished = task.completion_requested_on or task.closed_on
    task.delay_working_days = max(0, calendar.working_days_between(task.deadline, finished))
    task.timeliness_rating, task.quality_rating, task.progress = timeliness, quality, 100
    _save(task, ["status", *fields])
    task.nodes.filter(done_on__isnull=True).update(done_on=finished)
    audit.record(
        AuditEvent.TASK_CLOSED,
        actor=actor,
        target=task,
        changes=_changes(task, before),
        reason=(note or "").strip()[:500],
    )
    _notify_units(
        task,
        [task.lead_unit_id],
        kind="tasks.closed",
        title=_("督办事项已办结：%(title)s") % {"title": task.title},
        key=f"tasks.closed:{task.pk}",
    )
    return task


@transaction.atomic
def return_task(task: Task, *, actor, reason: str) -> Task:
    """The office sends a completion request back as not done (退回), with its reasons."""
    task = _locked(task)
    rules.require_office(actor, task.region)
    reason = _text(reason, "reason", _("请填写退回理由"), 500)
    before = _move(task, "return", extra=["completion_requested_on", "return_count"])
    task.completion_requested_on = None
    task.return_count += 1
    _save(task, ["status", "completion_requested_on", "return_count"])
    audit.record(
        AuditEvent.TASK_RETURNED, actor=actor, target=task, changes=_changes(task, before), reason=reason
    )
    _notify_units(
        task,
        [task.lead_unit_id],
        kind="tasks.returned",
        title=_("督办事项被退回：%(title)s") % {"title": task.title},
        body=reason,
        key=f"tasks.returned:{task.pk}:{task.return_count}",
    )
    return task


# --- suspending, cancelling, chasing -------------------------------------------------------------

_STOP_EVENTS = {
    "suspend": AuditEvent.TASK_SUSPENDED,
    "resume": AuditEvent.TASK_RESUMED,
    "cancel": AuditEvent.TASK_CANCELLED,
}


@transaction.atomic
def _stop(task: Task, action: str, actor, reason: str) -> Task:
    task = _locked(task)
    rules.require_office(actor, task.region)
    reason = _text(reason, "reason", _("请填写原因"), 500)
    before = _move(task, action, extra=["status_reason"])
    task.status_reason = reason if action != "resume" else ""
    _save(task, ["status", "status_reason"])
    audit.record(
        _STOP_EVENTS[action], actor=actor, target=task, changes=_changes(task, before), reason=reason
    )
    if task.assigned_at:
        _notify_units(
            task,
            [task.lead_unit_id],
            kind=f"tasks.{action}",
            title=f"{task.get_status_display()}：{task.title}",
            body=reason,
            key=f"tasks.{action}:{task.pk}:{clock.now().isoformat()}",
        )
    return task


def suspend_task(task: Task, *, actor, reason: str) -> Task:
    return _stop(task, "suspend", actor, reason)


def resume_task(task: Task, *, actor, reason: str) -> Task:
    return _stop(task, "resume", actor, reason)


def cancel_task(task: Task, *, actor, reason: str) -> Task:
    return _stop(task, "cancel", actor, reason)


@transaction.atomic
def chase_task(task: Task, *, actor, note: str) -> Chase:
    """A manual reminder (催办) by the office, recorded and counted."""
    task = _locked(task)
    rules.require_office(actor, task.region)
    rules.require_state(task, "chase")
    note = _text(note, "note", _("请填写催办说明"), 500)
    chase = Chase.objects.create(
        task=task, kind=ChaseKind.MANUAL, day=clock.today(), note=note, chased_by=actor
    )
    clock.stamp(chase)
    task.chase_count += 1
    _save(task, ["chase_count"])
    sent = (
        []
        if clock.replaying()
        else notify(
            rules.unit_people([task.lead_unit_id]),
            kind="tasks.chase",
            title=_("催办：%(title)s") % {"title": task.title},
            body=note,
            url=task_url(task),
            target=task,
            key=f"tasks.chase:{chase.pk}",
        )
    )
    chase.recipients = len(sent)
    chase.save(update_fields=["recipients"])
    audit.record(
        AuditEvent.TASK_CHASED,
        actor=actor,
        target=task,
        reason=note,
        changes={"chase_count": [task.chase_count - 1, task.chase_count]},
    )
    return chase
