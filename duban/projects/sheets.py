"""The project register (重点项目台账) as a sheet: export of the register's filter, template, import.

Rows are matched by 项目编号: a known code edits that project, a blank or new code registers one
(a blank code is numbered `<county>-<year>-NNN`). Completed investment and the light are
exported for reading and never imported: investment moves only through the monthly report.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duban.accounts.choices import Role
from duban.org.choices import RegionLevel, UnitKind
from duban.org.models import Region, Unit
from duban.org.validators import validate_no_control_chars
from duban.sheets.base import Lookup, Sheet, register
from duban.sheets.columns import Column

from . import queries, services
from .choices import Category, Level, ProjectStatus, ReportFrequency
from .filters import LIGHTS, ProjectFilter
from .forms_register import county_leaders, lead_unit_choices
from .models import Project

READ_ONLY = ("year_completed_investment", "light", "light_reason", "code")
LIGHT_LABELS = {code: str(label) for code, label in LIGHTS}
MONEY = {"value_type": Decimal, "decimal_places": 2, "min_value": Decimal("0"), "width": 14}


def _locations(user) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).filter(kind__in=[UnitKind.TOWN, UnitKind.PARK], is_active=True)


def _villages(user) -> QuerySet[Region]:
    return Region.objects.visible_to(user).filter(level=RegionLevel.VILLAGE)


LOCATIONS = Lookup(_locations, keys=("code", "name"), label=_("镇街园区"))
VILLAGES = Lookup(_villages, keys=("code", "name"), label=_("村(社区)"))
LEAD_UNITS = Lookup(lambda user: lead_unit_choices(user, None), keys=("code", "name"), label=_("牵头单位"))
LEADERS = Lookup(
    lambda user: county_leaders(user, None),
    keys=("username",),
    label=_("县领导"),
    display="username",
    code="username",
)


@register
class ProjectSheet(Sheet):
    key = "projects"
    title = _("重点项目台账")
    model = Project
    natural_key = "code"
    filterset_class = ProjectFilter
    import_roles = frozenset({Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON})
    export_roles = frozenset(
        {Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON, Role.COUNTY_LEADER, Role.INSPECTOR}
    )
    list_url_name = "projects:project_list"
    help = _(
        "按“项目编号”识别项目：编号已存在的行修改该项目，留空则新登记（自动编号）。"
        "年度累计完成投资和亮灯只读，请按月填报完成投资。新登记的项目按类别生成时间节点。"
    )
    columns = [
        Column("项目编号", "code", max_length=32, width=18, help=_("新登记的项目留空，自动编号")),
        Column(
            "项目名称",
            "name",
            required=True,
            max_length=100,
            width=30,
            validators=(validate_no_control_chars,),
        ),
        Column("项目类别", "category", required=True, choices=Category, width=12, example="工业项目"),
        Column("项目级别", "level", required=True, choices=Level, width=14, example="县级重点项目"),
        Column("建设状态", "status", choices=ProjectStatus, default=ProjectStatus.PLANNED, width=10),
        Column("所在镇街园区", "location_unit", required=True, lookup=LOCATIONS, width=20),
        Column("所在村(社区)", "village", lookup=VILLAGES, width=16),
        Column("牵头单位", "lead_unit", required=True, lookup=LEAD_UNITS, width=20),
        Column("分管领导账号", "leader_in_charge", lookup=LEADERS, width=16, help=_("县领导的登录用户名")),
        Column(
            "投资/建设主体", "investor", max_length=100, width=24, validators=(validate_no_control_chars,)
        ),
        Column("总投资(万元)", "total_investment", required=True, **MONEY),  # type: ignore[arg-type]
        Column(
            "计划年度", "plan_year", value_type=int, required=True, min_value=2000, max_value=2100, width=10
        ),
        Column("年度计划投资(万元)", "year_plan_investment", required=True, **MONEY),  # type: ignore[arg-type]
        Column("计划开工", "planned_start", value_type=datetime.date, required=True, width=12),
        Column("计划竣工", "planned_completion", value_type=datetime.date, required=True, width=12),
        Column(
            "进展报送周期",
            "report_frequency",
            choices=ReportFrequency,
            default=ReportFrequency.MONTHLY,
            width=12,
        ),
        Column("建设内容", "description", max_length=4000, width=36),
        Column(
            "年度累计完成投资(万元)",
            "year_completed_investment",
            value_type=Decimal,
            decimal_places=2,
            width=14,
            help=_("只读"),
        ),
        Column(
            "亮灯", "light", width=10, help=_("只读"), export=lambda p: LIGHT_LABELS.get(p.light, p.light)
        ),
        Column("亮灯原因", "light_reason", width=28, help=_("只读")),
    ]

    def export_queryset(self, user) -> QuerySet:
        return queries.projects_for(user).select_related("village").order_by("code")

    def stored_value(self, obj, column: Column) -> Any:
        if column.field == "light":
            return LIGHT_LABELS.get(obj.light, obj.light)
        return super().stored_value(obj, column)

    def create(self, values: dict[str, Any], *, actor) -> Project:
        values = self._writable(values)
        code = (values.pop("code", "") or "").strip()
        lead_unit = values.pop("lead_unit")
        return services.create_project(actor=actor, lead_unit=lead_unit, code=code, **values)

    def update(self, obj, values: dict[str, Any], *, actor) -> Project:
        values = self._writable(values)
        values.pop("code", None)  # the natural key identifies the project; it is never changed here
        return services.update_project(obj, actor=actor, **values)

    @staticmethod
    def _writable(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k not in READ_ONLY or k == "code"}
