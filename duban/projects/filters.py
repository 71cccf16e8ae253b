"""One FilterSet per list: the page, the API list and the Excel export read the same filters."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.org.filters import SearchFilter
from duban.org.models import Unit

from .choices import OPEN_PROBLEM_STATES, Category, Level, ProblemKind, ProblemStatus, ProjectStatus

LIGHTS = [
    ("red", _("红灯")),
    ("yellow", _("黄灯")),
    ("green", _("绿灯")),
    ("grey", _("未开始")),
    ("blue", _("已完成")),
]
PROBLEM_STATES = [("open", _("未销号")), ("overdue", _("已逾期")), *ProblemStatus.choices]


def _units(request):
    return Unit.objects.visible_to(request.user) if request else Unit.objects.none()


def _leaders(request):
    if request is None:
        return User.objects.none()
    from .forms_register import county_leaders

    return county_leaders(request.user, None)


class ProjectFilter(django_filters.FilterSet):
    q = SearchFilter(fields=("name", "code", "investor"))
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices, empty_label=_("全部级别"))
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    location_unit = django_filters.ModelChoiceFilter(
        label=_("镇街园区"), queryset=_units, empty_label=_("全部镇街园区")
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label=_("牵头单位"), queryset=_units, empty_label=_("全部牵头单位")
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("分管领导"), field_name="leader_in_charge", queryset=_leaders, empty_label=_("全部领导")
    )
    status = django_filters.ChoiceFilter(
        label=_("建设状态"), choices=ProjectStatus.choices, empty_label=_("全部状态")
    )
    light = django_filters.ChoiceFilter(label=_("亮灯"), choices=LIGHTS, empty_label=_("全部亮灯"))


class ProblemFilter(django_filters.FilterSet):
    q = SearchFilter(fields=("title", "project__name"))
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=PROBLEM_STATES, method="filter_state", empty_label=_("全部状态")
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=ProblemKind.choices, empty_label=_("全部类型")
    )
    project = django_filters.NumberFilter(
        label=_("项目"), field_name="project_id", widget=django_filters.widgets.forms.HiddenInput
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("责任单位"), queryset=_units, method="filter_unit", empty_label=_("全部责任单位")
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("分管领导"),
        field_name="project__leader_in_charge",
        queryset=_leaders,
        empty_label=_("全部领导"),
    )

    def filter_state(self, qs, name, value):
        if value == "open":
            return qs.filter(status__in=OPEN_PROBLEM_STATES)
        if value == "overdue":
            return qs.filter(
                status__in=OPEN_PROBLEM_STATES - {ProblemStatus.ANSWERED}, due_date__lt=timezone.localdate()
            )
        return qs.filter(status=value)

    def filter_unit(self, qs, name, value):
        return qs.filter(Q(pk__in=value.problem_assignments.values("problem_id")))
