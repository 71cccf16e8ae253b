"""The one FilterSet of the task ledger: the board page, the API list and the export read it."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from duban.core.lights import deadline_light_case
from duban.org.models import Unit

from .choices import Category, TaskStatus
from .models import Meeting

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LIGHTS = [
    ("red", _("红灯")),
    ("yellow", _("黄灯")),
    ("green", _("绿灯")),
    ("blue", _("已完成")),
    ("grey", _("暂停或撤销")),
]


def with_light(qs):
    """The deadline light of each task, computed by the database: closed tasks are blue,
    suspended and cancelled ones grey (no deadline runs), the others by their deadline."""
    stopped = When(status__in=[TaskStatus.SUSPENDED, TaskStatus.CANCELLED], then=Value("grey"))
    light = Case(stopped, default=deadline_light_case("deadline", done="closed_on"), output_field=CharField())
    return qs.annotate(light=light)


def _meetings(request):
    return Meeting.objects.visible_to(request.user) if request else Meeting.objects.none()


def _units(request):
    return Unit.objects.visible_to(request.user) if request else Unit.objects.none()


def _leaders(request):
    """The county leaders of the reader's county (office or leaders), for the leader filter."""
    from duban.accounts import policy
    from duban.accounts.choices import Role
    from duban.accounts.models import User
    from duban.org.models import Region

    from .rules import county_leaders

    if request is None:
        return User.objects.none()
    paths = sorted(policy.grants_of(request.user).paths({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}))
    region = Region.objects.filter(path__in=paths[:1]).first()
    return county_leaders(region) if region else User.objects.none()


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", max_length=64)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=TaskStatus.choices, empty_label=_("全部状态")
    )
    light = django_filters.ChoiceFilter(
        label=_("亮灯"), choices=LIGHTS, empty_label=_("全部"), method="filter_light"
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("来源会议"), queryset=_meetings, empty_label=_("全部来源")
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label=_("牵头单位"), queryset=_units, empty_label=_("全部单位")
    )
    leader_in_charge = django_filters.ModelChoiceFilter(
        label=_("责任领导"), queryset=_leaders, empty_label=_("全部领导")
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    deadline_from = django_filters.DateFilter(
        label=_("时限从"), field_name="deadline", lookup_expr="gte", widget=DATE_INPUT
    )
    deadline_to = django_filters.DateFilter(
        label=_("时限至"), field_name="deadline", lookup_expr="lte", widget=DATE_INPUT
    )

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        return qs.filter(Q(title__icontains=value) | Q(requirement__icontains=value)) if value else qs

    def filter_light(self, qs, name, value):
        return qs.filter(light=value)

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.queryset = with_light(self.queryset)
        return super().qs
