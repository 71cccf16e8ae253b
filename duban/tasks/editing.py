"""Changing a task's terms, and assigning many drafts at once (the board's bulk assign).

A draft can be changed freely. Once assigned, the lead unit, the deadline and the time nodes
are what the unit accepted: the deadline moves only through an extension request, so those
fields are refused here; the wording, category, leader, cooperating units and flags may still
be corrected. Closed and cancelled tasks are not changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent
from duban.org.models import Unit

from . import clock, rules, services
from .choices import TaskStatus
from .models import Task, TaskNode, TaskUnit

# Fields fixed once the task is assigned (what the lead unit signed for).
DRAFT_ONLY = ("lead_unit", "deadline", "nodes", "meeting", "instruction")
EDITABLE = frozenset(
    {
        "title",
        "requirement",
        "cooperating_units",
        "leader_in_charge",
        "priority",
        "feedback_frequency",
        "category",
        "is_public",
        "requires_evidence",
        *DRAFT_ONLY,
    }
)


def _nodes_of(task: Task) -> list[tuple[str, datetime.date]]:
    return [(n.title, n.due_date) for n in task.nodes.all()]


def _differs(task: Task, field: str, value) -> bool:
    if field == "nodes":
        return [(t.strip(), d) for t, d in value] != _nodes_of(task)
    if field in ("lead_unit", "meeting", "instruction"):
        return getattr(task, f"{field}_id") != (value.pk if value is not None else None)
    return getattr(task, field) != value


def _check_frozen(task: Task, fields: dict) -> None:
    if task.status in (TaskStatus.CLOSED, TaskStatus.CANCELLED):
        raise ValidationError(_("事项已办结或撤销，不能修改"))
    if task.status == TaskStatus.DRAFT:
        return
    for field in DRAFT_ONLY:
        if field in fields and _differs(task, field, fields[field]):
            raise ValidationError(
                {field: [_("事项已交办，牵头单位、办结时限、时间节点和来源不能修改；时限请通过延期申请调整")]}
            )


@transaction.atomic
def update_task(task: Task, *, actor, **fields) -> Task:
    """The office corrects a task (all terms while a draft; the wording and flags afterwards)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    task = services._locked(task)
    rules.require_office(actor, task.region)
    _check_frozen(task, fields)
    today = clock.today()
    values = {f: getattr(task, f) for f in services.TASK_FIELDS if f not in ("parent", "status")}
    values.update({k: v for k, v in fields.items() if k not in ("nodes", "cooperating_units")})
    values["title"] = services._text(values["title"], "title", _("请填写事项名称"), 200)
    values["requirement"] = (values["requirement"] or "").strip()[: services.MAX_TEXT]
    services.check_choices(values["priority"], values["feedback_frequency"], values["category"])
    rules.check_leader(values["leader_in_charge"], task.region)
    services.check_sources(task.region, meeting=values["meeting"], instruction=values["instruction"])
    draft = task.status == TaskStatus.DRAFT
    if draft and values["deadline"] != task.deadline:
        rules.check_deadline(values["deadline"], today=today)
    coops_before = [c.unit for c in task.cooperations.select_related("unit")]
    coops = coops_before
    if "cooperating_units" in fields:
        coops = services.check_units(task.region, values["lead_unit"], fields["cooperating_units"])
    elif "lead_unit" in fields:
        services.check_units(task.region, values["lead_unit"], [])
    nodes = fields.get("nodes")
    if nodes is not None and draft:
        services.check_nodes(nodes, values["deadline"], today)
    before = audit.snapshot(task, services.TASK_FIELDS)
    for field, value in values.items():
        setattr(task, field, value)
    if draft:
        task.original_deadline = task.deadline
    changes = audit.diff(before, audit.snapshot(task, services.TASK_FIELDS))
    changes.update(_replace_coops(task, coops_before, coops))
    if nodes is not None and draft and _differs(task, "nodes", nodes):
        changes["time_nodes"] = [
            [f"{d.isoformat()} {t}" for t, d in _nodes_of(task)],
            [f"{d.isoformat()} {t.strip()}" for t, d in nodes],
        ]
        task.nodes.all().delete()
        TaskNode.objects.bulk_create([TaskNode(task=task, title=t.strip(), due_date=d) for t, d in nodes])
    if changes:
        services._save(task, [*values, "original_deadline"])
        audit.record(AuditEvent.TASK_CHANGED, actor=actor, target=task, changes=changes)
    return task


def _replace_coops(task: Task, before: list[Unit], after: list[Unit]) -> dict:
    old, new = {u.pk for u in before}, {u.pk for u in after}
    if old == new:
        return {}
    TaskUnit.objects.filter(task=task).exclude(unit__in=new).delete()
    TaskUnit.objects.bulk_create([TaskUnit(task=task, unit=u) for u in after if u.pk not in old])
    return {"cooperating_units": [sorted(u.name for u in before), sorted(u.name for u in after)]}


@transaction.atomic
def assign_tasks(tasks: Iterable[Task], *, actor) -> list[Task]:
    """Assign several drafts at once, all or nothing: one refusal assigns none of them."""
    tasks = list(tasks)
    if not tasks:
        raise ValidationError(_("请选择要交办的事项"))
    done: list[Task] = []
    errors: list[str] = []
    for task in tasks:
        try:
            with transaction.atomic():
                done.append(services.assign_task(task, actor=actor))
        except ValidationError as exc:
            errors.append(f"{task.title}：{'；'.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)
    return done


def units_of_group(region, group: str, units: Sequence[Unit] = ()) -> list[Unit]:
    """The units a task is split into: all towns/sub-districts, all departments, or those chosen."""
    from duban.org.choices import UnitKind

    kinds = {"towns": [UnitKind.TOWN], "departments": [UnitKind.DEPARTMENT]}
    if group in kinds:
        return list(
            Unit.objects.in_region(region)
            .filter(kind__in=kinds[group], is_active=True)
            .order_by("sort_order", "name")
        )
    return list(units)
