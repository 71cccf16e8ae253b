"""The office's task ledger (督办事项台账) as a sheet: export of the board's filter, template, import.

The layout is the one the office keeps in Excel: source, leader in charge, lead unit,
requirement, deadline, latest feedback, status. Status, progress, the latest feedback and an
instruction source are exported for reading and never imported: they move only through the
transitions. "事项编号" blank creates a draft; a number changes that task (the lead unit and
deadline of an assigned task are refused there: the deadline moves by extension requests).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.core.templatetags.duban_format import zh_date
from duban.org.choices import UnitKind
from duban.org.models import Unit
from duban.sheets.base import Lookup, Sheet, chunks, register
from duban.sheets.columns import Column

from . import editing, rules, services
from .choices import Category, FeedbackFrequency, FeedbackKind, Priority, TaskStatus
from .filters import TaskFilter
from .models import Feedback, Meeting, Task

READ_ONLY = ("instruction", "latest_feedback", "status", "progress")


def _office_regions(user):
    from duban.org.models import Region

    return Region.objects.filter(path__in=policy.grants_of(user).paths({Role.SUPERVISION_OFFICE}))


def _units(user) -> QuerySet[Unit]:
    units = Unit.objects.visible_to(user).filter(is_active=True).exclude(kind=UnitKind.LEADERSHIP)
    region = _office_regions(user).order_by("path").first()
    return units.in_region(region) if region else units.none()


def _meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user, policy.CHANGE)


def _leaders(user):
    region = _office_regions(user).order_by("path").first()
    if region is None:
        from duban.accounts.models import User

        return User.objects.none()
    return rules.county_leaders(region)


UNITS = Lookup(_units, keys=("code", "name", "short_name"), label=_("单位"))
MEETINGS = Lookup(_meetings, keys=("name",), label=_("会议"), code="date")
LEADERS = Lookup(
    _leaders, keys=("real_name", "username"), label=_("县领导"), display="real_name", code="username"
)


def _coops_text(task: Task) -> str:
    return "、".join(c.unit.name for c in task.cooperations.all())


def _latest_text(task: Task) -> str:
    at = getattr(task, "latest_feedback_at", None)
    if at is None:
        return ""
    from django.utils import timezone

    return f"{zh_date(timezone.localtime(at).date())}：{getattr(task, 'latest_feedback', '')}"


def with_latest_feedback(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Each task's latest progress report or completion request (text and time), as subqueries."""
    kinds = [FeedbackKind.PROGRESS, FeedbackKind.COMPLETION]
    latest = Feedback.objects.filter(task=OuterRef("pk"), kind__in=kinds).order_by("-created_at", "-id")
    return qs.annotate(
        latest_feedback=Subquery(latest.values("text")[:1]),
        latest_feedback_at=Subquery(latest.values("created_at")[:1]),
    )


def _detail_qs(qs: QuerySet[Task]) -> QuerySet[Task]:
    qs = qs.select_related("meeting", "instruction__leader", "lead_unit", "leader_in_charge")
    return with_latest_feedback(qs.prefetch_related("cooperations__unit"))


@register
class TaskSheet(Sheet):
    key = "tasks"
    title = _("督办事项台账")
    model = Task
    natural_key = "id"
    filterset_class = TaskFilter
    import_roles = frozenset({Role.SUPERVISION_OFFICE})
    export_roles = frozenset({Role.SUPERVISION_OFFICE})
    list_url_name = "tasks:board"
    help = _(
        "“事项编号”留空为新建（待交办）；填写编号则修改该事项。配合单位用顿号分隔。"
        "状态、进度、最新反馈只读，请在事项页面办理。已交办事项的牵头单位和办结时限不能在此修改。"
    )
    columns = [
        Column("事项编号", "id", value_type=int, min_value=1, width=10, help=_("新建的事项留空")),
        Column("来源会议", "meeting", lookup=MEETINGS, width=24),
        Column(
            "来源批示",
            "instruction",
            width=20,
            export=lambda t: str(t.instruction) if t.instruction_id else "",
            help=_("只读"),
        ),
        Column("责任领导", "leader_in_charge", lookup=LEADERS, width=10),
        Column("牵头单位", "lead_unit", required=True, lookup=UNITS, width=20),
        Column("配合单位", "cooperating_units", max_length=1000, width=24, export=_coops_text),
        Column("事项名称", "title", required=True, max_length=200, width=30),
        Column("工作要求", "requirement", max_length=5000, width=40),
        Column("办结时限", "deadline", value_type=datetime.date, required=True, width=14),
        Column("类别", "category", choices=Category, default=Category.OTHER),
        Column("紧急程度", "priority", choices=Priority, default=Priority.NORMAL),
        Column("反馈频次", "feedback_frequency", choices=FeedbackFrequency, default=FeedbackFrequency.WEEKLY),
        Column("办结须附佐证材料", "requires_evidence", value_type=bool, default=False),
        Column("最新反馈", "latest_feedback", width=40, export=_latest_text, help=_("只读")),
        Column("状态", "status", choices=TaskStatus, help=_("只读")),
        Column("进度(%)", "progress", value_type=int, min_value=0, max_value=100, help=_("只读")),
    ]

    def export_queryset(self, user) -> QuerySet:
        qs = policy.scope_queryset(Task.objects.all(), user, policy.EXPORT)
        return _detail_qs(qs).order_by("deadline", "id")

    def existing(self, keys: list[Any]) -> dict[Any, Model]:
        found: dict[Any, Model] = {}
        for part in chunks([k for k in keys if k not in (None, "")]):
            for task in _detail_qs(Task.objects.filter(pk__in=part)):
                found[task.pk] = task
        return found

    def stored_value(self, obj, column: Column) -> Any:
        # Compared with the parsed cell: the text columns in the form the export writes them.
        if column.export is not None:
            return column.export(obj)
        return super().stored_value(obj, column)

    def create(self, values: dict[str, Any], *, actor) -> Task:
        values = self._writable(values, actor)
        values.pop("id", None)
        return services.create_task(actor=actor, **values)

    def update(self, obj, values: dict[str, Any], *, actor) -> Task:
        values = self._writable(values, actor)
        values.pop("id", None)
        if "cooperating_units" in values and values.get("lead_unit") is None:
            values["lead_unit"] = obj.lead_unit
        return editing.update_task(obj, actor=actor, **values)

    @staticmethod
    def _writable(values: dict[str, Any], actor) -> dict[str, Any]:
        values = {k: v for k, v in values.items() if k not in READ_ONLY}
        if "cooperating_units" in values:
            values["cooperating_units"] = _named_units(values["cooperating_units"], actor)
        return values


def _named_units(text: str, actor) -> list[Unit]:
    """The cooperating units named in one cell ("商务局、统计局"), by name, short name or code."""
    names = [n.strip() for n in re.split(r"[、,，;；\s]+", text or "") if n.strip()]
    if not names:
        return []
    found = UNITS.resolve(actor, set(names))
    errors = [v for v in found.values() if isinstance(v, str)]
    if errors:
        raise ValidationError({"cooperating_units": [str(e) for e in errors]})
    return list(dict.fromkeys(found[n] for n in names))
