"""Investment attraction under /api/v1/: the same policy, FilterSet, services and counting as the pages.

A lead another unit may not read in confidence comes back with its public fields only (the
others are null); phones are masked unless `?unmask=1` is asked by a role that may unmask,
which is audited like the page's button. Stage moves are `POST /leads/{id}/<action>`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from duban.accounts import policy
from duban.audit.services import mask_phone
from duban.org.models import Unit

from . import moves, queries, services
from .choices import TargetBasis
from .conf import conf
from .filters import LeadFilter
from .models import Lead, Pairing

router = Router(tags=["investment"])
MAX_PAGE_SIZE = 200


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PairingOut(Schema):
    id: int
    year: int
    department_id: int
    department_name: str
    partner_id: int
    partner_name: str
    leader_in_charge_id: int | None
    lead_count: int
    signed_amount: Decimal
    last_activity: datetime.date | None

    @staticmethod
    def resolve_department_name(p: Pairing) -> str:
        return p.department.name

    @staticmethod
    def resolve_partner_name(p: Pairing) -> str:
        return p.partner.name


class PairingList(Schema):
    count: int
    items: list[PairingOut]


SECRET = [
    "company_name",
    "credit_code",
    "origin",
    "contact_person",
    "content",
    "external_investment",
    "is_expansion",
    "added_investment",
    "source_type",
    "introducer",
    "expected_sign_on",
    "negotiation_notes",
    "contract_date",
    "contract_amount",
    "contract_parties",
    "funds_in_place",
    "follower_id",
    "last_activity_on",
    "follow_light",
]
PUBLIC = {"industry": "industry", "stage": "stage", "planned_investment": "amount"}


class LeadOut(Schema):
    id: int
    project_name: str
    registered_on: datetime.date
    source_unit_id: int
    source_unit_name: str
    intended_location_id: int
    intended_location_name: str
    confidential: bool  # true: the caller reads contacts and notes
    industry: str | None = None
    stage: str | None = None
    planned_investment: Decimal | None = None
    company_name: str | None = None
    credit_code: str | None = None
    origin: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    content: str | None = None
    external_investment: Decimal | None = None
    is_expansion: bool | None = None
    added_investment: Decimal | None = None
    source_type: str | None = None
    introducer: str | None = None
    expected_sign_on: datetime.date | None = None
    negotiation_notes: str | None = None
    contract_date: datetime.date | None = None
    contract_amount: Decimal | None = None
    contract_parties: str | None = None
    funds_in_place: Decimal | None = None
    follower_id: int | None = None
    last_activity_on: datetime.date | None = None
    follow_light: str | None = None


def lead_out(lead: Lead, *, phone: str | None = None) -> dict[str, Any]:
    """The lead as the caller may read it: public fields for everyone, the rest in confidence only."""
    public = set(conf("PUBLIC_FIELDS") or ())
    may_read = bool(getattr(lead, "may_read", False))  # annotated by queries.leads_for
    row: dict[str, Any] = {
        "id": lead.pk,
        "project_name": lead.project_name,
        "registered_on": lead.registered_on,
        "source_unit_id": lead.source_unit_id,
        "source_unit_name": lead.source_unit.name,
        "intended_location_id": lead.intended_location_id,
        "intended_location_name": lead.intended_location.name,
        "confidential": may_read,
    }
    for name, key in PUBLIC.items():
        row[name] = getattr(lead, name) if may_read or key in public else None
    if may_read:
        for name in SECRET:
            row[name] = getattr(lead, "follow", None) if name == "follow_light" else getattr(lead, name)
        row["contact_phone"] = (
            phone if phone is not None else (mask_phone(lead.contact_phone) if lead.contact_phone else "")
        )
    return row


class LeadList(Schema):
    count: int
    items: list[LeadOut]


class LeadIn(Schema):
    source_unit: int | None = None
    registered_on: datetime.date | None = None
    company_name: str = ""
    credit_code: str = ""
    origin: str = ""
    industry: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    project_name: str = ""
    content: str = ""
    planned_investment: Decimal = Decimal("0")
    external_investment: Decimal = Decimal("0")
    is_expansion: bool = False
    added_investment: Decimal | None = None
    intended_location: int | None = None
    follower: int | None = None
    source_type: str = ""
    introducer: str = ""
    expected_sign_on: datetime.date | None = None
    negotiation_notes: str = ""


class LeadPatch(Schema):
    company_name: str | None = None
    credit_code: str | None = None
    origin: str | None = None
    industry: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    project_name: str | None = None
    content: str | None = None
    planned_investment: Decimal | None = None
    external_investment: Decimal | None = None
    is_expansion: bool | None = None
    added_investment: Decimal | None = None
    intended_location: int | None = None
    source_type: str | None = None
    introducer: str | None = None
    expected_sign_on: datetime.date | None = None
    negotiation_notes: str | None = None
    funds_in_place: Decimal | None = None


class MoveIn(Schema):
    date: datetime.date | None = None
    reason: str = ""
    evidence_note: str = ""
    to_stage: str | None = None
    contract_date: datetime.date | None = None
    contract_amount: Decimal | None = None
    contract_parties: str = ""
    confirm_over_plan: bool = False


class FollowUpIn(Schema):
    date: datetime.date
    kind: str
    notes: str
    next_step: str = ""
    next_contact_on: datetime.date | None = None


class FollowUpOut(Schema):
    id: int
    date: datetime.date
    kind: str
    notes: str
    next_step: str
    next_contact_on: datetime.date | None
    author_id: int | None


class TargetRow(Schema):
    unit_id: int
    unit_name: str
    rank: int
    actual: dict[str, int | Decimal]
    target: dict[str, int | Decimal | None]
    lights: dict[str, str]


class LeadQuery(Schema):
    q: str | None = None
    year: str | None = None
    source_unit: str | None = None
    intended_location: str | None = None
    industry: str | None = None
    stage: str | None = None
    follow: str | None = None
    page: str | None = None
    page_size: str | None = None


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        page = int(request.GET.get("page") or 1)
        size = int(request.GET.get("page_size") or 50)
    except ValueError:
        page = size = 0
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page": [_("页码须为正整数，每页 1 到 %(n)s 条") % {"n": MAX_PAGE_SIZE}]})
    return (page - 1) * size, size


def _unit(request, pk: int | None, field: str) -> Unit:
    if pk is None:
        raise ValidationError({field: [_("必填")]})
    return policy.get_object_for_user_or_404(request.user, Unit, pk)


def _lead(request, pk: int) -> Lead:
    return policy.get_object_for_user_or_404(request.user, queries.leads_for(request.user), pk)


def _changeable(request, pk: int) -> Lead:
    lead = _lead(request, pk)
    if not policy.can(request.user, policy.CHANGE, lead):
        raise PermissionDenied(_("无权执行此操作"))
    return lead


@router.get("/pairings", response=PairingList, summary="联系包保（含线索数、签约金额、最近跟进）")
def list_pairings(request, year: int | None = None):
    qs = queries.pairing_matrix(request.user, year or timezone.localdate().year)
    start, size = _paging(request)
    return {"count": qs.count(), "items": list(qs[start : start + size])}


@router.get("/leads", response=LeadList, summary="项目线索列表（与页面同一筛选）")
def list_leads(request, filters: Query[LeadQuery]):
    fs = LeadFilter(request.GET, queryset=queries.leads_for(request.user), request=request)
    if not fs.is_valid():
        raise ValidationError({k: list(v) for k, v in fs.errors.items()})
    start, size = _paging(request)
    qs = fs.qs
    return {"count": qs.count(), "items": [lead_out(lead) for lead in qs[start : start + size]]}


@router.get("/leads/{lead_id}", response={200: LeadOut, **ERRORS}, summary="项目线索详情")
def get_lead(request, lead_id: int, unmask: bool = False):
    lead = _lead(request, lead_id)
    phone = services.reveal_contact(lead, actor=request.user) if unmask and lead.contact_phone else None
    return lead_out(lead, phone=phone)


def _values(request, data: dict[str, Any]) -> dict[str, Any]:
    if "intended_location" in data:
        data["intended_location"] = _unit(request, data["intended_location"], "intended_location")
    if data.get("follower") is not None:
        from duban.accounts.models import User

        data["follower"] = policy.get_object_for_user_or_404(request.user, User, data["follower"])
    return data


@router.post("/leads", response={201: LeadOut, **ERRORS}, summary="登记项目线索")
def create_lead(request, payload: LeadIn):
    data = payload.dict()
    source = data.pop("source_unit")
    own = sorted(policy.grants_of(request.user).units({"unit_head", "unit_liaison"}))
    source_unit = _unit(request, source if source is not None else (own[0] if own else None), "source_unit")
    if data["registered_on"] is None:
        data.pop("registered_on")
    lead = services.create_lead(actor=request.user, source_unit=source_unit, **_values(request, data))
    return Status(201, lead_out(_lead(request, lead.pk)))


@router.patch("/leads/{lead_id}", response={200: LeadOut, **ERRORS}, summary="修改项目线索")
def update_lead(request, lead_id: int, payload: LeadPatch):
    lead = _changeable(request, lead_id)
    data = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "added_investment"
    }
    services.update_lead(lead, actor=request.user, **_values(request, data))
    return lead_out(_lead(request, lead.pk))


@router.get("/leads/{lead_id}/follow-ups", response={200: list[FollowUpOut], **ERRORS}, summary="跟进记录")
def list_follow_ups(request, lead_id: int):
    lead = policy.get_object_for_user_or_404(request.user, Lead, lead_id, action=policy.CONFIDENTIAL)
    return list(lead.follow_ups.all())


@router.post("/leads/{lead_id}/follow-ups", response={201: FollowUpOut, **ERRORS}, summary="登记跟进记录")
def add_follow_up(request, lead_id: int, payload: FollowUpIn):
    lead = _changeable(request, lead_id)
    return Status(201, services.add_follow_up(lead, actor=request.user, **payload.dict()))


@router.post(
    "/leads/{lead_id}/{action}",
    response={200: LeadOut, **ERRORS},
    summary="阶段变更（contact、visit、negotiate、sign、land、start、produce、shelve、lose、resume、step_back）",
)
def move_lead(request, lead_id: int, action: str, payload: MoveIn):
    if action not in moves.MOVE_SERVICES:
        raise Http404
    lead = _changeable(request, lead_id)
    data = payload.dict()
    kwargs: dict[str, Any] = {
        "date": data["date"],
        "reason": data["reason"],
        "evidence_note": data["evidence_note"],
    }
    if action == "sign":
        kwargs["contract"] = {k: data[k] for k in ("contract_date", "contract_amount", "contract_parties")}
        kwargs["confirm_over_plan"] = data["confirm_over_plan"]
    if action == "step_back":
        kwargs["to_stage"] = data["to_stage"]
    moves.MOVE_SERVICES[action](lead, actor=request.user, **kwargs)
    return lead_out(_lead(request, lead.pk))


@router.get("/investment/targets", response=list[TargetRow], summary="招商目标完成情况与排名")
def list_targets(
    request, year: int | None = None, basis: str = TargetBasis.SOURCE, county: int | None = None
):
    if basis not in TargetBasis.values:
        raise ValidationError({"basis": [_("不是可选的值")]})
    counties = list(queries.counties_for(request.user))
    chosen = next((c for c in counties if county is None or c.pk == county), None)
    if chosen is None:
        raise Http404
    rows = queries.progress_by_unit(chosen, year or timezone.localdate().year, basis)
    return [
        {
            "unit_id": r.unit.pk,
            "unit_name": r.unit.name,
            "rank": r.rank,
            "actual": r.actual,
            "target": r.target,
            "lights": {k: v.colour for k, v in r.lights.items()},
        }
        for r in rows
    ]
