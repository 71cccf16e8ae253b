"""Land quotas under /api/v1/: quotas with used/pending/remaining, requests, their decisions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Query, Schema

from duban.accounts import policy
from duban.org.api import ERRORS, _paged

from . import land
from .api import router
from .models import LandQuota, LandRequest, Project
from .services import land as land_services


class LandQuotaOut(Schema):
    id: int
    year: int
    kind: str
    total_mu: Decimal
    allocated_mu: Decimal
    pending_mu: Decimal
    remaining_mu: Decimal
    land_unit_id: int


class LandRequestOut(Schema):
    id: int
    quota_id: int
    project_id: int
    project_name: str
    area_mu: Decimal
    stage: str
    urgency: str
    reason: str
    status: str
    priority: int | None
    decision_note: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_project_name(obj) -> str:
        return obj.project.name


class LandRequestList(Schema):
    count: int
    items: list[LandRequestOut]


class LandRequestIn(Schema):
    quota: int
    project: int
    area_mu: Decimal
    stage: str = ""
    urgency: str = "medium"
    reason: str = ""


class DecisionIn(Schema):
    note: str = ""


class LandRequestQuery(Schema):
    quota: int | None = None
    status: str | None = None
    project: int | None = None
    page: str | None = None
    page_size: str | None = None


@router.get("/land-quotas", response=list[LandQuotaOut], summary="土地指标（已安排、待审批、剩余）")
def list_land_quotas(request, year: int | None = None):
    year = year or timezone.localdate().year
    return [
        {
            "id": i.quota.pk,
            "year": i.quota.year,
            "kind": i.quota.kind,
            "total_mu": i.quota.total_mu,
            "allocated_mu": i.quota.allocated_mu,
            "pending_mu": i.pending,
            "remaining_mu": i.remaining,
            "land_unit_id": i.quota.land_unit_id,
        }
        for i in land.figures(request.user, year)
    ]


@router.get("/land-requests", response=LandRequestList, summary="用地指标申请")
def list_land_requests(request, filters: Query[LandRequestQuery]):
    qs = land.requests_for(request.user).order_by("quota_id", "priority", "created_at")
    for field in ("quota", "status", "project"):
        value = getattr(filters, field)
        if value not in (None, ""):
            qs = qs.filter(**{f"{field}_id" if field != "status" else field: value})
    return _paged(request, qs)


@router.post("/land-requests", response={201: LandRequestOut, **ERRORS}, summary="申请用地指标")
def create_land_request(request, payload: LandRequestIn):
    quota = policy.get_object_for_user_or_404(
        request.user, LandQuota.objects.visible_to(request.user), payload.quota
    )
    project = policy.get_object_for_user_or_404(
        request.user, Project.objects.visible_to(request.user), payload.project
    )
    row = land_services.request_land(
        project,
        actor=request.user,
        quota=quota,
        area_mu=payload.area_mu,
        stage=payload.stage,
        urgency=payload.urgency,
        reason=payload.reason,
    )
    return 201, land.requests_for(request.user).get(pk=row.pk)


@router.post(
    "/land-requests/{request_id}/{action}", response={200: LandRequestOut, **ERRORS}, summary="批准或不予安排"
)
def decide_land_request(request, request_id: int, action: str, payload: DecisionIn):
    row = policy.get_object_for_user_or_404(
        request.user, LandRequest.objects.visible_to(request.user), request_id
    )
    if action == "approve":
        land_services.approve_land_request(row, actor=request.user, note=payload.note)
    elif action == "refuse":
        land_services.refuse_land_request(row, actor=request.user, note=payload.note)
    else:
        raise Http404
    return land.requests_for(request.user).get(pk=row.pk)
