"""Forms of the register pages: project, stewards, investment, milestones, the showcase tour.

Choices offer only what the user may pick (the policy's scopes); the services check again and
own every domain rule, so a form only shapes the input.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.accounts.models import User
from duban.org.choices import RegionLevel, UnitKind
from duban.org.models import Region, Unit

from .choices import Category, LandKind, LandStage, Level, Organiser, ProjectStatus, ReportFrequency, Urgency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {
    "max_digits": 15,
    "decimal_places": 2,
    "min_value": 0,
    "error_messages": {"min_value": _("金额不能为负数")},
}


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.short_name or obj.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = getattr(obj, "unit", None)
        return f"{obj.display_name}（{unit.short_name or unit.name}）" if unit else obj.display_name


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return PersonField.label_from_instance(self, obj)  # type: ignore[arg-type]


def _county_units(user, county: Region | None):
    qs = Unit.objects.visible_to(user).filter(is_active=True)
    return qs.filter(region__path__startswith=county.path) if county else qs


def lead_unit_choices(user, county: Region | None):
    """The office picks any unit of its county; a unit's head or liaison only its own units."""
    grants = policy.grants_of(user)
    qs = _county_units(user, county)
    if grants.paths({Role.SUPERVISION_OFFICE}):
        return qs.order_by("sort_order", "name")
    return qs.filter(pk__in=grants.units(UNIT_SCOPED_ROLES)).order_by("name")


def directory_people(user, county: Region | None):
    """Active people of the units the user may see (names are public in the county directory)."""
    return User.objects.filter(is_active=True, unit__in=_county_units(user, county).values("pk"))


def county_leaders(user, county: Region | None):
    qs = directory_people(user, county).filter(
        grants__role=Role.COUNTY_LEADER, grants__revoked_at__isnull=True
    )
    if county is not None:
        qs = qs.filter(grants__region__path__startswith=county.path)
    return qs.select_related("unit").distinct().order_by("username")


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    category = forms.ChoiceField(label=_("项目类别"), choices=Category.choices)
    level = forms.ChoiceField(label=_("项目级别"), choices=Level.choices, initial=Level.COUNTY_KEY)
    status = forms.ChoiceField(label=_("建设状态"), choices=ProjectStatus.choices)
    lead_unit = UnitField(label=_("牵头单位"), queryset=Unit.objects.none())
    location_unit = UnitField(label=_("所在镇街园区"), queryset=Unit.objects.none())
    village = forms.ModelChoiceField(label=_("所在村(社区)"), queryset=Region.objects.none(), required=False)
    leader_in_charge = PersonField(label=_("分管领导"), queryset=User.objects.none(), required=False)
    investor = forms.CharField(label=_("投资/建设主体"), max_length=100, required=False)
    total_investment = forms.DecimalField(label=_("总投资(万元)"), **MONEY)  # type: ignore[arg-type]
    plan_year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    year_plan_investment = forms.DecimalField(label=_("年度计划投资(万元)"), **MONEY)  # type: ignore[arg-type]
    planned_start = forms.DateField(label=_("计划开工"), widget=DATE)
    planned_completion = forms.DateField(label=_("计划竣工"), widget=DATE)
    report_frequency = forms.ChoiceField(
        label=_("进展报送周期"), choices=ReportFrequency.choices, initial=ReportFrequency.MONTHLY
    )
    description = forms.CharField(
        label=_("建设内容"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    def __init__(self, *args, user, county: Region | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["lead_unit"].queryset = lead_unit_choices(user, county)  # type: ignore[attr-defined]
        towns = _county_units(user, county).filter(kind__in=[UnitKind.TOWN, UnitKind.PARK])
        fields["location_unit"].queryset = towns.order_by("sort_order", "name")  # type: ignore[attr-defined]
        villages = Region.objects.visible_to(user).filter(level=RegionLevel.VILLAGE)
        if county is not None:
            villages = villages.filter(path__startswith=county.path)
        fields["village"].queryset = villages.order_by("path")  # type: ignore[attr-defined]
        fields["leader_in_charge"].queryset = county_leaders(user, county)  # type: ignore[attr-defined]
        fields["plan_year"].initial = timezone.localdate().year
        if not editing:
            # A new project is planned; its status moves by editing once work starts.
            del fields["status"], fields["reason"]


class StewardForm(forms.Form):
    user = PersonField(label=_("包保干部"), queryset=User.objects.none(), required=False)
    unit = UnitField(label=_("包保单位"), queryset=Unit.objects.none(), required=False)
    full_time = forms.BooleanField(label=_("脱产包保"), required=False, help_text=_("只有干部可以脱产"))
    start_date = forms.DateField(label=_("包保开始日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, county: Region, **kwargs):
        super().__init__(*args, **kwargs)
        people = directory_people(user, county)
        self.fields["user"].queryset = people.select_related("unit").order_by("username")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _county_units(user, county).order_by("sort_order", "name")  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("unit")):
            raise forms.ValidationError(_("请指定一名包保干部或一个包保单位（二选一）"))
        return data


class EndStewardshipForm(forms.Form):
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class InvestmentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    cumulative = forms.DecimalField(
        label=_("年度累计完成投资(万元)"),
        help_text=_("填1月至本月的累计数；低于上月须说明原因"),
        **MONEY,  # type: ignore[arg-type]
    )
    reason = forms.CharField(label=_("核减原因"), max_length=200, required=False)


class ReachForm(forms.Form):
    actual_date = forms.DateField(label=_("实际完成日期"), widget=DATE, initial=timezone.localdate)
    evidence_note = forms.CharField(label=_("完成佐证说明"), max_length=200, required=False)
    evidence = forms.FileField(
        label=_("佐证材料(照片或文件)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.wps,.et"}),
    )


class PlannedDateForm(forms.Form):
    planned_date = forms.DateField(label=_("计划完成日期"), widget=DATE)


class MoveRequestForm(forms.Form):
    new_date = forms.DateField(label=_("申请调整为"), widget=DATE)
    reason = forms.CharField(label=_("调整理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MoveDecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False, help_text=_("不同意时必填"))


class ShowcaseForm(forms.Form):
    name = forms.CharField(label=_("观摩活动"), max_length=100)
    date = forms.DateField(label=_("观摩日期"), widget=DATE)
    organiser = forms.ChoiceField(label=_("组织方"), choices=Organiser.choices)
    top_points = forms.DecimalField(
        label=_("第一名得分"), max_digits=6, decimal_places=2, min_value=0, initial=100
    )
    rank_step = forms.DecimalField(
        label=_("名次递减分"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        initial=3,
        help_text=_("市里按名次折算：第一名得分，之后每名递减"),
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < datetime.date(2000, 1, 1):
            raise forms.ValidationError(_("观摩日期有误"))
        return day


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("观摩标准"), max_length=64)
    weight = forms.DecimalField(label=_("权重"), max_digits=5, decimal_places=2)
    requirement = forms.CharField(label=_("观摩时须达到"), max_length=300, required=False)

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise forms.ValidationError(_("权重须大于0"))
        return weight


__all__ = [
    "CriterionForm",
    "EndStewardshipForm",
    "InvestmentForm",
    "MoveDecisionForm",
    "MoveRequestForm",
    "PlannedDateForm",
    "ProjectForm",
    "ReachForm",
    "ShowcaseForm",
    "StewardForm",
]


def visit_people(user, project):
    """Who can be on a visit: the project's stewards, the office and the county's leaders."""
    from django.db.models import Q

    county = project.county
    stewards = project.stewardships.filter(end_date__isnull=True, user__isnull=False).values("user")
    roles = Q(
        grants__role__in=[Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER],
        grants__revoked_at__isnull=True,
        grants__region__path__startswith=county.path,
    )
    return (
        directory_people(user, county)
        .filter(Q(pk__in=stewards) | roles)
        .select_related("unit")
        .distinct()
        .order_by("unit__sort_order", "username")
    )


class SiteVisitForm(forms.Form):
    date = forms.DateField(label=_("督导日期"), widget=DATE, initial=timezone.localdate)
    leader = PersonField(label=_("带队领导"), queryset=User.objects.none(), required=False)
    visitors = PeopleField(
        label=_("督导人员"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("包保干部、督查室人员；带队领导自动计入"),
    )
    notes = forms.CharField(label=_("现场情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(
        label=_("议定事项"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一条；登记后可逐条转为问题交办"),
    )

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        people = visit_people(user, project)
        self.fields["visitors"].queryset = people  # type: ignore[attr-defined]
        self.fields["leader"].queryset = county_leaders(user, project.county)  # type: ignore[attr-defined]

    def clean_decisions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]


class ProgressReportForm(forms.Form):
    day = forms.DateField(
        label=_("报告期"), widget=DATE, help_text=_("报告期内任一天；按项目的报送周期（每周/每月）归入报告期")
    )
    progress = forms.CharField(label=_("工作进展"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    investment = forms.DecimalField(label=_("本期完成投资(万元)"), **MONEY)  # type: ignore[arg-type]
    image_progress = forms.IntegerField(
        label=_("形象进度(%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("形象进度须在0到100之间"),
            "max_value": _("形象进度须在0到100之间"),
        },
    )
    problems = forms.CharField(
        label=_("存在问题"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportCorrectionForm(ProgressReportForm):
    reason = forms.CharField(label=_("更正理由"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["day"]


class LandQuotaForm(forms.Form):
    kind = forms.ChoiceField(label=_("指标类型"), choices=LandKind.choices)
    total_mu = forms.DecimalField(
        label=_("指标总量(亩)"), max_digits=12, decimal_places=2, min_value=0,
        error_messages={"min_value": _("面积不能为负数")},
    )  # fmt: skip
    land_unit = UnitField(label=_("自然资源主管部门"), queryset=Unit.objects.none())

    def __init__(self, *args, user, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["land_unit"].queryset = _county_units(user, county).order_by("sort_order", "name")  # type: ignore[attr-defined]


class LandRequestForm(forms.Form):
    quota = forms.ModelChoiceField(label=_("土地指标"), queryset=Unit.objects.none())
    project = forms.ModelChoiceField(label=_("项目"), queryset=Unit.objects.none())
    area_mu = forms.DecimalField(
        label=_("申请面积(亩)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
        error_messages={"min_value": _("申请面积须大于0")},
    )  # fmt: skip
    stage = forms.ChoiceField(label=_("用地手续阶段"), choices=LandStage.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.MEDIUM)
    reason = forms.CharField(label=_("申请理由"), max_length=300, required=False)

    def __init__(self, *args, quotas, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota"].queryset = quotas  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class AddProjectForm(forms.Form):
    project = forms.ModelChoiceField(label=_("纳入项目"), queryset=User.objects.none())
