"""Regions and units under /api/v1/: the same policy, filters and services as the pages.

Reads: 404 for what the caller may not see. Writes: 403 when the caller sees the object but
may not change it, 404 when they cannot see it; ids in the body (region, parent, leader) are
resolved through the policy too, so a foreign id is 404 and nothing is saved.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.accounts.models import User

from . import services
from .filters import RegionFilter, UnitFilter
from .models import Region, Unit
from .queries import regions_for, units_for

router = Router(tags=["org"])
MAX_PAGE_SIZE = 200


class RegionOut(Schema):
    id: int
    name: str
    code: str
    level: str
    parent_id: int | None
    path: str
    is_town_subdistrict: bool
    sort_order: int


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    region_id: int
    region_name: str = Field(validation_alias="region.name")
    leader_in_charge_id: int | None
    leader_in_charge_name: str | None
    is_active: bool
    sort_order: int
    member_count: int

    @staticmethod
    def resolve_leader_in_charge_name(unit: Unit) -> str | None:
        return unit.leader_in_charge.display_name if unit.leader_in_charge else None


class RegionList(Schema):
    count: int
    items: list[RegionOut]


class UnitList(Schema):
    count: int
    items: list[UnitOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


# Strings arrive as typed ("" when absent) so the model's own checks give the Chinese message.
class RegionIn(Schema):
    name: str = ""
    code: str = ""
    level: str = ""
    parent: int | None = None
    is_town_subdistrict: bool = False
    sort_order: int = 0


class RegionPatch(Schema):
    name: str | None = None
    is_town_subdistrict: bool | None = None
    sort_order: int | None = None


class UnitIn(Schema):
    name: str = ""
    short_name: str = ""
    code: str = ""
    kind: str = ""
    region: int | None = None
    leader_in_charge: int | None = None
    sort_order: int = 0


class UnitPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    region: int | None = None
    leader_in_charge: int | None = None
    is_active: bool | None = None
    sort_order: int | None = None


class ListQuery(Schema):
    """Filters of the list (the page's FilterSet) and paging; all optional."""

    q: str | None = None
    page: str | None = None
    page_size: str | None = None


class UnitQuery(ListQuery):
    kind: str | None = None
    region: str | None = None
    status: str | None = None
    ordering: str | None = None


class RegionQuery(ListQuery):
    level: str | None = None
    within: str | None = None


def _page_numbers(request: HttpRequest) -> tuple[int, int]:
    errors = {}
    values = {}
    for name, default, top in (("page", 1, None), ("page_size", 50, MAX_PAGE_SIZE)):
        raw = request.GET.get(name, "") or str(default)
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (top and value > top) or len(raw) > 9:
            errors[name] = [_("必须是 1 到 %(top)s 之间的整数") % {"top": top or 999999999}]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values["page"], values["page_size"]


def _filtered(filterset) -> object:
    if not filterset.is_valid():
        raise ValidationError({k: list(v) for k, v in filterset.errors.items()})
    return filterset.qs


def _paged(request: HttpRequest, qs) -> dict:
    page, size = _page_numbers(request)
    start = (page - 1) * size
    return {"count": qs.count(), "items": list(qs[start : start + size])}


def _for_change(request: HttpRequest, model, pk):
    obj = policy.get_object_for_user_or_404(request.user, model, pk, action=policy.VIEW)
    if not policy.can(request.user, policy.CHANGE, obj):
        raise PermissionDenied(_("无权执行此操作"))
    return obj


def _region_in_scope(request: HttpRequest, pk: int | None, field: str) -> Region:
    """A region named in the body: it must lie within what the caller may change (else 404)."""
    if pk is None:
        raise ValidationError({field: [_("请选择所在区划")]})
    return policy.get_object_for_user_or_404(request.user, Region, pk, action=policy.CHANGE)


def _leader(request: HttpRequest, pk: int | None):
    if pk is None:
        return None
    return policy.get_object_for_user_or_404(request.user, User, pk)


ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/regions", response=RegionList, summary="行政区划列表")
def list_regions(request, filters: Query[RegionQuery]):
    fs = RegionFilter(request.GET, queryset=regions_for(request.user), request=request)
    return _paged(request, _filtered(fs))


@router.get("/regions/{region_id}", response={200: RegionOut, **ERRORS}, summary="行政区划详情")
def get_region(request, region_id: int):
    return policy.get_object_for_user_or_404(request.user, Region, region_id)


@router.post("/regions", response={201: RegionOut, **ERRORS}, summary="新建下级区划(系统管理员)")
def create_region(request, payload: RegionIn):
    policy.require_role(request.user, Role.SYSTEM_ADMIN)
    parent = _region_in_scope(request, payload.parent, "parent")
    data = payload.dict(exclude={"parent"})
    return Status(201, services.create_region(actor=request.user, parent=parent, **data))


@router.patch("/regions/{region_id}", response={200: RegionOut, **ERRORS}, summary="修改区划(系统管理员)")
def update_region(request, region_id: int, payload: RegionPatch):
    region = _for_change(request, Region, region_id)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.update_region(region, actor=request.user, **values)


@router.get("/units", response=UnitList, summary="单位列表")
def list_units(request, filters: Query[UnitQuery]):
    fs = UnitFilter(request.GET, queryset=units_for(request.user), request=request)
    return _paged(request, _filtered(fs))


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="单位详情")
def get_unit(request, unit_id: int):
    return policy.get_object_for_user_or_404(request.user, units_for(request.user), unit_id)


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="新建单位(系统管理员)")
def create_unit(request, payload: UnitIn):
    policy.require_role(request.user, Role.SYSTEM_ADMIN)
    region = _region_in_scope(request, payload.region, "region")
    leader = _leader(request, payload.leader_in_charge)
    data = payload.dict(exclude={"region", "leader_in_charge"})
    unit = services.create_unit(actor=request.user, region=region, leader_in_charge=leader, **data)
    return Status(201, units_for(request.user).get(pk=unit.pk))


@router.patch("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="修改单位(系统管理员)")
def update_unit(request, unit_id: int, payload: UnitPatch):
    unit = _for_change(request, Unit, unit_id)
    given = payload.dict(exclude_unset=True)
    values = {k: v for k, v in given.items() if v is not None and k not in ("region", "leader_in_charge")}
    if "region" in given:
        values["region"] = _region_in_scope(request, given["region"], "region")
    if "leader_in_charge" in given:
        values["leader_in_charge"] = _leader(request, given["leader_in_charge"])  # null clears it
    with transaction.atomic():  # all or nothing across the two services
        if "is_active" in values:
            services.set_unit_active(unit, actor=request.user, active=values.pop("is_active"))
        if values:
            services.update_unit(unit, actor=request.user, **values)
    return units_for(request.user).get(pk=unit.pk)
