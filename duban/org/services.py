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


def _clean(value: str) -> str:
    """Names arrive from forms, the API and imports: surrounding blanks are never meant."""
    return value.strip() if isinstance(value, str) else value


def _check_leader(leader, region: Region) -> None:
    """The leader in charge must be a county leader whose scope covers the unit's region.

    Checked on the server whatever the request says, so a leader of another county (or an
    ordinary user) can never be put in charge of this county's unit.
    """
    if leader is None:
        return
    from duban.accounts.models import Grant

    paths = (
        Grant.objects.active()
        .filter(user=leader, role=Role.COUNTY_LEADER, region__isnull=False)
        .values_list("region__path", flat=True)
    )
    if not leader.is_active or not any(region.path.startswith(p) for p in paths):
        raise ValidationError({"leader_in_charge": [_("分管领导必须是本单位所在县(市)的县领导")]})


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
    if is_town_subdistrict and level != RegionLevel.TOWN:
        raise ValidationError({"is_town_subdistrict": [_("只有镇(街道)层级可以标为街道")]})
    name, code = _clean(name), _clean(code)
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
            setattr(region, field, _clean(values[field]))
    if region.is_town_subdistrict and region.level != RegionLevel.TOWN:
        raise ValidationError({"is_town_subdistrict": [_("只有镇(街道)层级可以标为街道")]})
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
    _check_leader(leader_in_charge, region)
    unit = Unit(
        name=_clean(name),
        code=_clean(code),
        kind=kind,
        region=region,
        short_name=_clean(short_name),
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
            setattr(unit, field, _clean(values[field]))
    if "region" in values:
        _require_admin_over(actor, unit.region)
    if "leader_in_charge" in values or "region" in values:
        _check_leader(unit.leader_in_charge, unit.region)
    unit.full_clean()
    unit.save(update_fields=[*editable, "updated_at"])
    changes = audit.diff(before, audit.snapshot(unit, UNIT_FIELDS))
    if changes:
        audit.record(AuditEvent.UNIT_CHANGED, actor=actor, target=unit, parent=unit.region, changes=changes)
    return unit


@transaction.atomic
def set_unit_active(unit: Unit, *, actor, active: bool, reason: str = "") -> Unit:
    """Deactivate (or reactivate) a unit. Units are never deleted: their history stays readable.

    A deactivated unit leaves the directory and cannot be chosen for new work; its users and
    past records keep pointing at it.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    policy.require(actor, policy.CHANGE, unit)
    if unit.is_active == active:
        return unit
    unit.is_active = active
    unit.save(update_fields=["is_active", "updated_at"])
    audit.record(
        AuditEvent.UNIT_ACTIVATED if active else AuditEvent.UNIT_DEACTIVATED,
        actor=actor,
        target=unit,
        parent=unit.region,
        changes={"is_active": [not active, active]},
        reason=_clean(reason),
    )
    return unit
