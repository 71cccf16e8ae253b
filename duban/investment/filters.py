"""One FilterSet for the lead pipeline: the pages, the API list and the Excel export read the same filters."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.org.choices import UnitKind
from duban.org.models import Unit
from duban.org.validators import validate_no_control_chars

from .choices import Industry, Stage
from .models import Lead


def _units(request, kinds) -> QuerySet[Unit]:
    if request is None:
        return Unit.objects.none()
    return (
        Unit.objects.visible_to(request.user)
        .filter(kind__in=kinds, is_active=True)
        .order_by("kind", "sort_order", "name")
    )


def source_units(request) -> QuerySet[Unit]:
    return _units(request, [UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.PARK])


def location_units(request) -> QuerySet[Unit]:
    return _units(request, [UnitKind.TOWN, UnitKind.PARK])


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this + 1, this - 5, -1)]


class LeadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_q", max_length=64, validators=[validate_no_control_chars]
    )
    year = django_filters.ChoiceFilter(
        label=_("登记年度"), choices=year_choices, method="filter_year", empty_label=_("全部年度")
    )
    source_unit = django_filters.ModelChoiceFilter(
        label=_("引进单位"), queryset=source_units, empty_label=_("全部单位")
    )
    intended_location = django_filters.ModelChoiceFilter(
        label=_("镇街园区"), queryset=location_units, empty_label=_("全部镇街园区")
    )
    industry = django_filters.ChoiceFilter(
        label=_("产业"), choices=Industry.choices, empty_label=_("全部产业")
    )
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=Stage.choices, empty_label=_("全部阶段"))
    follow = django_filters.ChoiceFilter(
        label=_("跟进"),
        choices=[("red", _("红灯")), ("yellow", _("黄灯")), ("green", _("正常"))],
        method="filter_follow",
        empty_label=_("全部"),
    )

    class Meta:
        model = Lead
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        # The investor's name is searched only among leads the user reads in confidence: a
        # search must not reveal who another unit is talking to.
        user = getattr(self.request, "user", None)
        secret = Lead.objects.visible_to(user, policy.CONFIDENTIAL).values("pk")
        return qs.filter(Q(project_name__icontains=value) | Q(company_name__icontains=value, pk__in=secret))

    def filter_year(self, qs, name, value):
        return qs.filter(registered_on__year=int(value)) if value else qs

    def filter_follow(self, qs, name, value):
        # `follow` is annotated by queries.leads_for (the API and export start there too).
        return qs.filter(follow=value) if value else qs
