"""Site visits under /api/v1/site-visits: list (filters), detail with photos and decisions, create."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Schema

from duban.accounts import policy
from duban.attachments.models import Attachment
from duban.org.api import ERRORS, _paged

from .api import router
from .forms_register import county_leaders, visit_people
from .models import Project, SiteVisit
from .services.visits import record_site_visit
from .visits import visits_for


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class DecisionOut(Schema):
    id: int
    text: str
    problem_id: int | None


class PhotoOut(Schema):
    id: int
    original_name: str
    taken_at: datetime.datetime | None
    gps_latitude: Decimal | None
    gps_longitude: Decimal | None


class SiteVisitOut(Schema):
    id: int
    project_id: int
    project_name: str
    date: datetime.date
    leader_id: int | None
    notes: str
    visitors: list[PersonOut]
    decisions: list[DecisionOut]
    photos: list[PhotoOut]

    @staticmethod
    def resolve_project_name(obj) -> str:
        return obj.project.name

    @staticmethod
    def resolve_visitors(obj) -> list:
        return list(obj.visitors.all())

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_photos(obj) -> list:
        return getattr(obj, "photos", [])


class SiteVisitList(Schema):
    count: int
    items: list[SiteVisitOut]


class SiteVisitIn(Schema):
    project: int
    date: datetime.date
    notes: str = ""
    leader: int | None = None
    visitors: list[int] = []
    decisions: list[str] = []


class SiteVisitQuery(Schema):
    project: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    page: str | None = None
    page_size: str | None = None


def _detail_qs(user):
    return visits_for(user).prefetch_related("visitors", "decisions").order_by("-date", "-id")


def _attach_photos(user, visits: list[SiteVisit]) -> list[SiteVisit]:
    """The visits' live attachments in one query (the policy's scope, then by owner id)."""
    ids = [str(v.pk) for v in visits]
    rows = (
        Attachment.objects.visible_to(user)
        .active()
        .filter(content_type__app_label="projects", content_type__model="sitevisit", object_id__in=ids)
        .order_by("id")
    )
    by_visit: dict[str, list] = {}
    for row in rows:
        by_visit.setdefault(row.object_id, []).append(row)
    for v in visits:
        v.photos = by_visit.get(str(v.pk), [])  # type: ignore[attr-defined]
    return visits


@router.get("/site-visits", response=SiteVisitList, summary="现场督导列表")
def list_site_visits(request, filters: Query[SiteVisitQuery]):
    qs = _detail_qs(request.user)
    if filters.project is not None:
        qs = qs.filter(project_id=filters.project)
    if filters.date_from is not None:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(date__lte=filters.date_to)
    page = _paged(request, qs)
    page["items"] = _attach_photos(request.user, list(page["items"]))
    return page


@router.get("/site-visits/{visit_id}", response={200: SiteVisitOut, **ERRORS}, summary="现场督导详情")
def get_site_visit(request, visit_id: int):
    visit = policy.get_object_for_user_or_404(request.user, _detail_qs(request.user), visit_id)
    return _attach_photos(request.user, [visit])[0]


def _pick(qs, pk: int, field: str, message: str):
    person = qs.filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: [message]})
    return person


@router.post("/site-visits", response={201: SiteVisitOut, **ERRORS}, summary="登记现场督导")
def create_site_visit(request, payload: SiteVisitIn):
    """Photos are uploaded afterwards to the visit's attachments (kind photo)."""
    project = policy.get_object_for_user_or_404(
        request.user, Project.objects.visible_to(request.user).select_related("county"), payload.project
    )
    leader = None
    if payload.leader is not None:
        leaders = county_leaders(request.user, project.county)
        leader = _pick(leaders, payload.leader, "leader", _("带队领导须为本县(区)的县领导"))
    people = visit_people(request.user, project)
    visitors = [
        _pick(people, pk, "visitors", _("督导人员须为包保干部、督查室人员或县领导"))
        for pk in payload.visitors
    ]
    visit = record_site_visit(
        project,
        actor=request.user,
        date=payload.date,
        notes=payload.notes,
        leader=leader,
        visitors=visitors,
        decisions=payload.decisions,
    )
    return 201, _attach_photos(request.user, [_detail_qs(request.user).get(pk=visit.pk)])[0]
