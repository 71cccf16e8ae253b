"""Every write to the organisation tree. Each call is one transaction with its audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent

from .choices import RegionLevel
from .models import Region, Unit

LEVEL_ORDER = [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE]
REGION_FIELDS = ["name", "code", "level", "parent", "is_town_subdistrict", "sort_order"]
UNIT_FIELDS = ["name", "short_name", "code", "kind", "region", "leader_in_charge", "is_active", "sort_order"]


def _check_level(level: str, parent: Region | None) -> None:
    if parent is not None and LEVEL_ORDER.index(RegionLevel(level)) <= LEVEL_ORDER.index(
        RegionLevel(parent.level)
    ):
        raise ValidationError({"level": [_("下级区划的层级必须低于上级区划")]})


def _require_admin_over(actor, region: Region | None) -> None:
    """Only a system administrator whose scope covers the region may change the tree.

    A root region (the city or the county itself) is made once, at installation, by the
    `createadmin`/`demo` commands (check_access=False); no page can add another root.
    """
    paths = policy.grants_of(actor).paths({Role.SYSTEM_ADMIN})
    if region is None or not any(region.path.startswith(p) for p in paths):
        raise policy.PermissionDenied(_("无权执行此操作"))


@transaction.atomic
def create_region(
    *,
    actor,
    name: str,
    code: str,
    level: str,
    parent: Region | None = None,
    is_town_subdistrict: bool = False,
    sort_order: int = 0,
    check_access: bool = True,
) -> Region:
    if check_access:
        _require_admin_over(actor, parent)
    _check_level(level, parent)
    region = Region(
        name=name,
        code=code,
        level=level,
        parent=parent,
        path=Region.path_for(parent, code),
        is_town_subdistrict=is_town_subdistrict,
        sort_order=sort_order,
    )
    region.full_clean()
    region.save()
    audit.record(
        AuditEvent.REGION_CREATED,
        actor=actor,
        target=region,
        parent=parent,
        changes=audit.diff({}, audit.snapshot(region, REGION_FIELDS)),
    )
    return region


@transaction.atomic
def update_region(region: Region, *, actor, **values) -> Region:
    region = Region.objects.select_for_update().get(pk=region.pk)
    _require_admin_over(actor, region)
    before = audit.snapshot(region, REGION_FIELDS)
    for field in ("name", "is_town_subdistrict", "sort_order"):
        if field in values:
            setattr(region, field, values[field])
    region.full_clean()
    region.save(update_fields=["name", "is_town_subdistrict", "sort_order", "updated_at"])
    changes = audit.diff(before, audit.snapshot(region, REGION_FIELDS))
    if changes:
        audit.record(
            AuditEvent.REGION_CHANGED, actor=actor, target=region, parent=region.parent, changes=changes
        )
    return region


@transaction.atomic
def create_unit(
    *,
    actor,
    name: str,
    code: str,
    kind: str,
    region: Region,
    short_name: str = "",
    leader_in_charge=None,
    sort_order: int = 0,
    check_access: bool = True,
) -> Unit:
    if check_access:
        _require_admin_over(actor, region)
    unit = Unit(
        name=name,
        code=code,
        kind=kind,
        region=region,
        short_name=short_name,
        leader_in_charge=leader_in_charge,
        sort_order=sort_order,
    )
    unit.full_clean()
    unit.save()
    audit.record(
        AuditEvent.UNIT_CREATED,
        actor=actor,
        target=unit,
        parent=region,
        changes=audit.diff({}, audit.snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, actor, **values) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    policy.require(actor, policy.CHANGE, unit)
    before = audit.snapshot(unit, UNIT_FIELDS)
    editable = ["name", "short_name", "kind", "region", "leader_in_charge", "is_active", "sort_order"]
    for field in editable:
        if field in values:
            setattr(unit, field, values[field])
    if "region" in values:
        _require_admin_over(actor, unit.region)
    unit.full_clean()
    unit.save(update_fields=[*editable, "updated_at"])
    changes = audit.diff(before, audit.snapshot(unit, UNIT_FIELDS))
    if changes:
        audit.record(AuditEvent.UNIT_CHANGED, actor=actor, target=unit, parent=unit.region, changes=changes)
    return unit
