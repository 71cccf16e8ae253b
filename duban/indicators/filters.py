"""One FilterSet for the board: the page, the API list and the Excel export read the same filters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.org.models import Unit

from .choices import IndicatorGroup
from .models import Indicator


def _units(request):
    if request is None:
        return Unit.objects.none()
    return (
        Unit.objects.visible_to(request.user)
        .filter(indicators__isnull=False)
        .distinct()
        .order_by("sort_order", "name")
    )


def _leaders(request):
    if request is None:
        return User.objects.none()
    county_ids = Indicator.objects.visible_to(request.user).values("leader_in_charge")
    return User.objects.filter(pk__in=county_ids).order_by("username")


class IndicatorFilter(django_filters.FilterSet):
    group = django_filters.ChoiceFilter(
        label=_("类别"), choices=IndicatorGroup.choices, empty_label=_("全部类别")
    )
    owner_unit = django_filters.ModelChoiceFilter(
        label=_("责任单位"), queryset=_units, empty_label=_("全部单位")
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("分管领导"), field_name="leader_in_charge", queryset=_leaders, empty_label=_("全部领导")
    )
    lagging = django_filters.ChoiceFilter(
        label=_("位次"), choices=[("1", _("只看位次靠后"))], empty_label=_("全部位次"), method="filter_noop"
    )

    class Meta:
        model = Indicator
        fields = ["group", "owner_unit", "leader"]

    def filter_noop(self, qs, name, value):
        # Lagging is known only after ranking: the board applies it to its rows.
        return qs

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(is_active=True).order_by("sort_order", "code")
