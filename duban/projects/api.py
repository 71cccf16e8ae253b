"""Projects and problems under /api/v1/: the same policy, filters and services as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from duban.accounts import policy
from duban.org.api import ERRORS, _filtered, _paged
from duban.org.models import Unit

from . import queries, services
from .filters import ProblemFilter, ProjectFilter
from .lights import completion_rate, milestone_light
from .models import Milestone, Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    category: str
    level: str
    status: str
    location_unit_id: int
    village_id: int | None
    lead_unit_id: int
    leader_in_charge_id: int | None
    investor: str
    total_investment: Decimal
    plan_year: int
    year_plan_investment: Decimal
    year_completed_investment: Decimal
    completion_rate: Decimal | None
    planned_start: datetime.date
    planned_completion: datetime.date
    description: str
    report_frequency: str
    confirmed: bool
    light: str
    light_reason: str

    @staticmethod
    def resolve_completion_rate(obj: Project) -> Decimal | None:
        return completion_rate(obj)

    @staticmethod
    def resolve_confirmed(obj: Project) -> bool:
        return obj.confirmed_at is not None


class ProjectList(Schema):
    count: int
    items: list[ProjectOut]


class ProjectIn(Schema):
    name: str = ""
    category: str = ""
    level: str = "county_key"
    status: str = "planned"
    location_unit: int | None = None
    village: int | None = None
    lead_unit: int | None = None
    leader_in_charge: int | None = None
    investor: str = ""
    total_investment: Decimal = Decimal(0)
    plan_year: int | None = None
    year_plan_investment: Decimal = Decimal(0)
    planned_start: datetime.date
    planned_completion: datetime.date
    description: str = ""
    report_frequency: str = "monthly"


class ProjectPatch(Schema):
    name: str | None = None
    category: str | None = None
    level: str | None = None
    status: str | None = None
    investor: str | None = None
    total_investment: Decimal | None = None
    year_plan_investment: Decimal | None = None
    planned_start: datetime.date | None = None
    planned_completion: datetime.date | None = None
    description: str | None = None
    report_frequency: str | None = None


class MilestoneOut(Schema):
    id: int
    kind: str
    name: str
    planned_date: datetime.date
    actual_date: datetime.date | None
    move_count: int
    days_slipped: int
    light: str
    light_reason: str

    @staticmethod
    def resolve_light(obj: Milestone) -> str:
        return milestone_light(obj).colour

    @staticmethod
    def resolve_light_reason(obj: Milestone) -> str:
        return milestone_light(obj).reason


class AssignmentOut(Schema):
    unit_id: int
    unit_name: str
    answer: str
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class ProblemOut(Schema):
    id: int
    project_id: int
    project_name: str
    kind: str
    title: str
    description: str
    status: str
    due_date: datetime.date | None
    closed_on: datetime.date | None
    last_note: str
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_project_name(obj) -> str:
        return obj.project.name

    @staticmethod
    def resolve_assignments(obj) -> list:
        return list(obj.assignments.all())


class ProblemList(Schema):
    count: int
    items: list[ProblemOut]


class ProblemIn(Schema):
    project: int
    kind: str = ""
    title: str = ""
    description: str = ""
    units: list[int] = []
    working_days: int | None = None
    due_date: datetime.date | None = None


class ActionIn(Schema):
    units: list[int] = []
    working_days: int | None = None
    due_date: datetime.date | None = None
    answer: str = ""
    note: str = ""


class ProjectQuery(Schema):
    q: str | None = None
    level: str | None = None
    category: str | None = None
    location_unit: str | None = None
    lead_unit: str | None = None
    leader: str | None = None
    status: str | None = None
    light: str | None = None
    page: str | None = None
    page_size: str | None = None


class ProblemQuery(Schema):
    q: str | None = None
    state: str | None = None
    kind: str | None = None
    project: str | None = None
    unit: str | None = None
    leader: str | None = None
    page: str | None = None
    page_size: str | None = None


def _unit(request: HttpRequest, pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    try:
        return policy.get_object_for_user_or_404(request.user, Unit, pk)
    except Http404 as exc:
        raise ValidationError({field: [_("单位不存在或不在您的范围内")]}) from exc


def _leader(request: HttpRequest, pk: int | None):
    if pk is None:
        return None
    from .forms_register import county_leaders

    leader = county_leaders(request.user, None).filter(pk=pk).first()
    if leader is None:
        raise ValidationError({"leader_in_charge": [_("分管领导不存在")]})
    return leader


@router.get("/projects", response=ProjectList, summary="重点项目列表")
def list_projects(request, filters: Query[ProjectQuery]):
    fs = ProjectFilter(
        request.GET, queryset=queries.projects_for(request.user).order_by("code"), request=request
    )
    return _paged(request, _filtered(fs))


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS}, summary="重点项目详情")
def get_project(request, project_id: int):
    return policy.get_object_for_user_or_404(request.user, queries.projects_for(request.user), project_id)


@router.post("/projects", response={201: ProjectOut, **ERRORS}, summary="登记重点项目")
def create_project(request, payload: ProjectIn):
    data = payload.dict()
    lead_unit = _unit(request, data.pop("lead_unit"), "lead_unit")
    if lead_unit is None:
        raise ValidationError({"lead_unit": [_("请选择牵头单位")]})
    location = _unit(request, data.pop("location_unit"), "location_unit")
    if location is None:
        raise ValidationError({"location_unit": [_("请选择所在镇街园区")]})
    village_pk = data.pop("village")
    village = None
    if village_pk is not None:
        from duban.org.models import Region

        village = policy.get_object_for_user_or_404(request.user, Region, village_pk)
    data["leader_in_charge"] = _leader(request, data.pop("leader_in_charge"))
    data["plan_year"] = data["plan_year"] or data["planned_start"].year
    project = services.create_project(
        actor=request.user, lead_unit=lead_unit, location_unit=location, village=village, **data
    )
    return 201, queries.projects_for(request.user).get(pk=project.pk)


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS}, summary="修改重点项目")
def update_project(request, project_id: int, payload: ProjectPatch):
    project = policy.get_object_for_user_or_404(request.user, Project, project_id)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.update_project(project, actor=request.user, **values)
    return queries.projects_for(request.user).get(pk=project.pk)


@router.get(
    "/projects/{project_id}/milestones", response={200: list[MilestoneOut], **ERRORS}, summary="项目节点"
)
def list_milestones(request, project_id: int):
    project = policy.get_object_for_user_or_404(request.user, Project, project_id)
    return list(Milestone.objects.visible_to(request.user).filter(project=project).order_by("sequence"))


@router.get("/problems", response=ProblemList, summary="问题台账")
def list_problems(request, filters: Query[ProblemQuery]):
    qs = queries.problem_detail_qs(request.user).order_by("-created_at", "-id")
    return _paged(request, _filtered(ProblemFilter(request.GET, queryset=qs, request=request)))


@router.get("/problems/{problem_id}", response={200: ProblemOut, **ERRORS}, summary="问题详情")
def get_problem(request, problem_id: int):
    return policy.get_object_for_user_or_404(
        request.user, queries.problem_detail_qs(request.user), problem_id
    )


def _units(request, ids: list[int]) -> list[Unit]:
    return [u for u in (_unit(request, pk, "units") for pk in ids) if u is not None]


@router.post("/problems", response={201: ProblemOut, **ERRORS}, summary="提出问题")
def create_problem(request, payload: ProblemIn):
    project = policy.get_object_for_user_or_404(request.user, Project, payload.project)
    data = payload.dict(exclude={"project", "units"})
    problem = services.raise_problem(
        project, actor=request.user, units=_units(request, payload.units), **data
    )
    return 201, queries.problem_detail_qs(request.user).get(pk=problem.pk)


@router.post("/problems/{problem_id}/{action}", response={200: ProblemOut, **ERRORS}, summary="问题流转")
def problem_action(request, problem_id: int, action: str, payload: ActionIn):
    """assign (units, working_days or due_date), answer (answer), close_out (note), return (note)."""
    problem = policy.get_object_for_user_or_404(
        request.user, queries.problem_detail_qs(request.user), problem_id
    )
    user = request.user
    if action == "assign":
        services.assign_problem(
            problem,
            actor=user,
            units=_units(request, payload.units),
            working_days=payload.working_days,
            due_date=payload.due_date,
        )
    elif action == "answer":
        services.answer_problem(problem, actor=user, answer=payload.answer)
    elif action == "close_out":
        services.close_out_problem(problem, actor=user, note=payload.note)
    elif action == "return":
        services.return_problem(problem, actor=user, note=payload.note)
    else:
        raise Http404
    return queries.problem_detail_qs(user).get(pk=problem.pk)


class CriterionOut(Schema):
    id: int
    name: str
    requirement: str
    weight: Decimal


class ReadinessOut(Schema):
    project_id: int
    project_name: str
    readiness: Decimal
    light: str
    verdict: str
    missing: list[str]
    open_gaps: int


class ShowcaseOut(Schema):
    id: int
    name: str
    date: datetime.date
    organiser: str
    top_points: Decimal
    rank_step: Decimal
    days_left: int
    working_days_left: int
    criteria: list[CriterionOut]
    readiness: list[ReadinessOut]


def _showcase_out(user, tour) -> dict:
    from . import showcase

    left = showcase.countdown(tour)
    cards = showcase.board(user, tour)
    return {
        "id": tour.pk,
        "name": tour.name,
        "date": tour.date,
        "organiser": tour.organiser,
        "top_points": tour.top_points,
        "rank_step": tour.rank_step,
        "days_left": left["days"],
        "working_days_left": left["working_days"],
        "criteria": list(tour.criteria.all()),
        "readiness": [
            {
                "project_id": c.project.pk,
                "project_name": c.project.name,
                "readiness": c.readiness,
                "light": c.light,
                "verdict": c.verdict,
                "missing": c.missing,
                "open_gaps": c.open_gaps,
            }
            for c in cards
        ],
    }


@router.get("/showcases", response=list[ShowcaseOut], summary="观摩活动及各项目准备情况")
def list_showcases(request):
    from .models import Showcase

    tours = Showcase.objects.visible_to(request.user).order_by("-date")[:20]
    return [_showcase_out(request.user, t) for t in tours]


@router.get("/showcases/{showcase_id}", response={200: ShowcaseOut, **ERRORS}, summary="观摩活动详情")
def get_showcase(request, showcase_id: int):
    from .models import Showcase

    tour = policy.get_object_for_user_or_404(
        request.user, Showcase.objects.visible_to(request.user), showcase_id
    )
    return _showcase_out(request.user, tour)


# The site-visit and land-quota endpoints live in their own modules on this router.
from . import api_land, api_programmes, api_visits  # noqa: E402,F401
