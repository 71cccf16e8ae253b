"""One FilterSet per list: the HTML page, the API list and the export read the same filters."""

from __future__ import annotations

import django_filters
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel, UnitKind
from .models import Region
from .queries import directory_regions
from .validators import validate_no_control_chars

# The directory reads top-down: the leadership, then departments, towns, parks.
KIND_ORDER = [UnitKind.LEADERSHIP, UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.PARK]
STATUS_CHOICES = [("active", _("启用")), ("inactive", _("已停用")), ("all", _("全部"))]


def kind_rank() -> Case:
    return Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(KIND_ORDER)),
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def _visible_regions(request) -> QuerySet[Region]:
    if request is None:
        return Region.objects.none()
    return directory_regions(request.user)


class SearchFilter(django_filters.CharFilter):
    """A free-text search, bounded and free of control characters like any other input."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", _("搜索"))
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("validators", [validate_no_control_chars])
        super().__init__(*args, **kwargs)
        self.search_fields = fields

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        q = Q()
        for name in self.search_fields:
            q |= Q(**{f"{name}__icontains": value})
        return qs.filter(q)


class UnitFilter(django_filters.FilterSet):
    q = SearchFilter(fields=("name", "short_name", "code"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=UnitKind.choices, empty_label=_("全部类型"))
    region = django_filters.ModelChoiceFilter(
        label=_("所在区划"), queryset=_visible_regions, method="filter_region", empty_label=_("全部区划")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("name", "name"), ("kind", "kind"), ("region__path", "region"), ("sort_order", "sort_order")),
        field_labels={
            "name": _("名称"),
            "kind": _("类型"),
            "region__path": _("区划"),
            "sort_order": _("排序号"),
        },
        empty_label=_("按类型分组"),
    )

    def filter_region(self, qs, name, region):
        # A region includes its subtree: choosing the county lists its towns' units too.
        return qs.filter(region__path__startswith=region.path)

    def filter_status(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Active units unless asked otherwise: a deactivated unit leaves the directory.
        status = self.form.cleaned_data.get("status") or "active"
        if status == "active":
            queryset = queryset.filter(is_active=True)
        elif status == "inactive":
            queryset = queryset.filter(is_active=False)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(kind_rank(), "region__path", "sort_order", "name")
        return queryset

    @property
    def grouped(self) -> bool:
        """Without an explicit ordering the page shows one group per unit kind."""
        return not (self.form.is_valid() and self.form.cleaned_data.get("ordering"))


class RegionFilter(django_filters.FilterSet):
    q = SearchFilter(fields=("name", "code"))
    level = django_filters.ChoiceFilter(
        label=_("层级"), choices=RegionLevel.choices, empty_label=_("全部层级")
    )
    within = django_filters.ModelChoiceFilter(
        label=_("范围"), queryset=_visible_regions, method="filter_within", empty_label=_("全部")
    )

    def filter_within(self, qs, name, region):
        return qs.filter(path__startswith=region.path)

    def filter_queryset(self, queryset):
        # The tree reads in path order whatever the filters: parents before their children.
        return super().filter_queryset(queryset).order_by("path")
