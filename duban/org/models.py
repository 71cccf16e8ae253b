"""The administrative tree (regions) and the organisations that own work (units)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from .choices import RegionLevel, UnitKind
from .validators import validate_code, validate_no_control_chars


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegionQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")

    def subtree(self, region: Region) -> RegionQuerySet:
        return self.filter(path__startswith=region.path)


class Region(TimeStampedModel):
    """A node of the administrative tree: city > county > town/sub-district > village.

    `path` holds the codes from the root ("/371100/371121/"), so a subtree is one
    indexed prefix query and scopes can be checked without recursion.
    """

    name = models.CharField(_("名称"), max_length=64, validators=[validate_no_control_chars])
    code = models.CharField(_("区划代码"), max_length=32, unique=True, validators=[validate_code])
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    is_town_subdistrict = models.BooleanField(
        _("街道"), default=False, help_text=_("镇(街道)层级中的街道办事处")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="region_unique_name_in_parent",
                violation_error_message=_("同一上级区划下已有同名区划"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def path_for(parent: Region | None, code: str) -> str:
        return f"{parent.path if parent else '/'}{code}/"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> UnitQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")

    def in_region(self, region: Region) -> UnitQuerySet:
        return self.filter(region__path__startswith=region.path)


class Unit(TimeStampedModel):
    """Any organisation that owns work: a department, a town government, a park, a leadership body."""

    name = models.CharField(_("单位名称"), max_length=64, validators=[validate_no_control_chars])
    short_name = models.CharField(
        _("简称"), max_length=32, blank=True, validators=[validate_no_control_chars]
    )
    code = models.CharField(_("单位代码"), max_length=32, unique=True, validators=[validate_code])
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units"
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units_in_charge",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region__path", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="unit_unique_name_in_region",
                violation_error_message=_("同一区划内已有同名单位"),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
