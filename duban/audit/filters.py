"""The one filter over the audit trail: the viewer page, its export and `duban audit export`."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import AuditEvent, Outcome
from .models import AuditEntry


def _object_types() -> list[tuple[str, str]]:
    return sorted(
        ((m._meta.label, f"{m._meta.verbose_name} ({m._meta.label})") for m in apps.get_models()),
        key=lambda pair: pair[0],
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("操作人"), method="filter_actor", max_length=64)
    unit = django_filters.CharFilter(
        label=_("操作人单位"), field_name="actor_unit", lookup_expr="icontains", max_length=64
    )
    event = django_filters.ChoiceFilter(label=_("事件"), choices=AuditEvent.choices, empty_label=_("全部"))
    outcome = django_filters.ChoiceFilter(label=_("结果"), choices=Outcome.choices, empty_label=_("全部"))
    target_type = django_filters.ChoiceFilter(
        label=_("对象类型"), choices=_object_types, empty_label=_("全部")
    )
    target_id = django_filters.CharFilter(label=_("对象编号"), method="filter_object_id", max_length=64)
    since = django_filters.DateFilter(label=_("起始日期"), method="filter_since", widget=DATE)
    until = django_filters.DateFilter(label=_("截止日期"), method="filter_until", widget=DATE)

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_actor(self, qs, name, value):
        """A name fragment, or an exact username."""
        return qs.filter(Q(actor_name__icontains=value) | Q(actor__username=value))

    def filter_object_id(self, qs, name, value):
        # The object as target, or as the parent of the entry (a unit's changes to its staff).
        return qs.filter(Q(target_id=value) | Q(parent_id=value))

    def filter_since(self, qs, name, value):
        return qs.filter(created_at__gte=_day_start(value))

    def filter_until(self, qs, name, value):
        return qs.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def summary(self) -> str:
        """The filter as a short text, for the export's audit entry."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        parts = [f"{key}={value}" for key, value in sorted(data.items()) if value not in (None, "")]
        return "; ".join(parts) or str(_("全部"))
