"""Writes to the project register: projects, stewards, monthly investment, lights."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.audit.events import AuditEvent
from duban.org.choices import RegionLevel, UnitKind

from ..choices import MILESTONE_TEMPLATES, MilestoneKind, ProjectStatus
from ..lights import project_light
from ..models import InvestmentReport, Milestone, Project, Stewardship
from .common import county_of, is_office_for, require_change, require_office, require_unit_in_county

PROJECT_FIELDS = [
    "code",
    "name",
    "category",
    "level",
    "status",
    "location_unit",
    "village",
    "lead_unit",
    "leader_in_charge",
    "investor",
    "total_investment",
    "plan_year",
    "year_plan_investment",
    "planned_start",
    "planned_completion",
    "description",
    "report_frequency",
]
EDITABLE = [f for f in PROJECT_FIELDS if f != "code"]
TEXT_FIELDS = ("name", "investor", "description", "code")


def _check_values(project: Project) -> None:
    """The domain rules a form cannot see alone; every message names its field."""
    errors: dict[str, list] = {}
    if (
        project.planned_start
        and project.planned_completion
        and project.planned_completion < project.planned_start
    ):
        errors["planned_completion"] = [_("计划竣工日期不能早于计划开工日期")]
    for field in ("total_investment", "year_plan_investment"):
        value = getattr(project, field)
        if value is not None and Decimal(value) < 0:
            errors[field] = [_("金额不能为负数")]
    if (
        not errors
        and project.year_plan_investment is not None
        and project.total_investment is not None
        and project.year_plan_investment > project.total_investment
    ):
        errors["year_plan_investment"] = [_("年度计划投资不能超过总投资")]
    if project.location_unit_id and project.location_unit.kind not in (UnitKind.TOWN, UnitKind.PARK):
        errors["location_unit"] = [_("所在地须为镇街或园区")]
    village = project.village
    if village is not None and (
        village.level != RegionLevel.VILLAGE or not village.path.startswith(project.county.path)
    ):
        errors["village"] = [_("所在村(社区)须为本县(区)的村(社区)")]
    if errors:
        raise ValidationError(errors)
    require_unit_in_county(project.location_unit, project.county, "location_unit")
    _check_leader(project)


def _check_leader(project: Project) -> None:
    leader = project.leader_in_charge
    if leader is None:
        return
    paths = policy.grants_of(leader).paths({Role.COUNTY_LEADER})
    if not any(project.county.path.startswith(p) for p in paths):
        raise ValidationError({"leader_in_charge": [_("分管领导须为本县(区)的县领导")]})


def _may_create(actor, project: Project) -> bool:
    if is_office_for(actor, project.county):
        return True
    return project.lead_unit_id in policy.grants_of(actor).units(UNIT_SCOPED_ROLES)


def _next_code(county, year: int) -> str:
    n = Project.objects.filter(county=county, plan_year=year).count() + 1
    while Project.objects.filter(code=f"{county.code}-{year}-{n:03d}").exists():
        n += 1
    return f"{county.code}-{year}-{n:03d}"


def _template_dates(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    """Spread the template's milestones evenly over the project's span, the last on completion."""
    span = (end - start).days
    return [start + datetime.timedelta(days=span * (i + 1) // count) for i in range(count)]


@transaction.atomic
def create_project(*, actor, lead_unit, check_access: bool = True, **values) -> Project:
    """A new project in the lead unit's county, with the milestones of its category's template."""
    for field in TEXT_FIELDS:
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    project = Project(lead_unit=lead_unit, county=county_of(lead_unit.region), **values)
    if check_access and not _may_create(actor, project):
        raise PermissionDenied(_("无权在此登记项目"))
    project.plan_year = project.plan_year or (project.planned_start.year if project.planned_start else 0)
    _check_values(project)
    project.code = project.code or _next_code(project.county, project.plan_year)
    project.full_clean()
    project.save()
    audit.record(
        AuditEvent.PROJECT_CREATED,
        actor=actor,
        target=project,
        changes=audit.diff({}, audit.snapshot(project, PROJECT_FIELDS)),
    )
    kinds = MILESTONE_TEMPLATES.get(project.category, [])
    for seq, (kind, due) in enumerate(
        zip(
            kinds, _template_dates(project.planned_start, project.planned_completion, len(kinds)), strict=True
        ),
        1,
    ):
        milestone = Milestone.objects.create(
            project=project, kind=kind, name=str(MilestoneKind(kind).label), sequence=seq, planned_date=due
        )
        audit.record(
            AuditEvent.MILESTONE_ADDED,
            actor=actor,
            target=milestone,
            parent=project,
            changes=audit.diff({}, audit.snapshot(milestone, ["kind", "name", "planned_date"])),
        )
    refresh_light(project)
    return project


@transaction.atomic
def update_project(project: Project, *, actor, reason: str = "", **values) -> Project:
    project = Project.objects.select_for_update(of=("self",)).select_related("county").get(pk=project.pk)
    require_change(actor, project)
    before = audit.snapshot(project, PROJECT_FIELDS)
    for field, value in values.items():
        if field not in EDITABLE:
            raise ValidationError({field: [_("该字段不能修改")]})
        setattr(project, field, value.strip() if isinstance(value, str) else value)
    require_unit_in_county(project.lead_unit, project.county, "lead_unit")
    _check_values(project)
    outside = project.milestones.exclude(
        planned_date__range=(project.planned_start, project.planned_completion)
    )
    if project.confirmed_at and outside.exists():
        raise ValidationError(
            {"planned_completion": [_("已锁定的节点日期超出了新的项目工期，请先申请调整节点")]}
        )
    project.full_clean()
    project.save(update_fields=[*EDITABLE, "updated_at"])
    changes = audit.diff(before, audit.snapshot(project, PROJECT_FIELDS))
    if changes:
        audit.record(AuditEvent.PROJECT_CHANGED, actor=actor, target=project, changes=changes, reason=reason)
    refresh_light(project)
    return project


@transaction.atomic
def confirm_project(project: Project, *, actor) -> Project:
    """The office confirms the project's plan: from now on planned dates move only by request."""
    project = Project.objects.select_for_update(of=("self",)).select_related("county").get(pk=project.pk)
    require_office(actor, project.county)
    if project.confirmed_at:
        raise ValidationError({"__all__": [_("项目节点已经确认")]})
    if not project.milestones.exists():
        raise ValidationError({"__all__": [_("项目还没有节点，不能确认")]})
    project.confirmed_at = timezone.now()
    project.save(update_fields=["confirmed_at", "updated_at"])
    audit.record(AuditEvent.PROJECT_CONFIRMED, actor=actor, target=project)
    return project


@transaction.atomic
def assign_steward(
    project: Project, *, actor, start_date: datetime.date, user=None, unit=None, full_time: bool = False
) -> Stewardship:
    """The office names a cadre or a unit responsible for the project (包保)."""
    require_office(actor, project.county)
    if (user is None) == (unit is None):
        raise ValidationError({"user": [_("请指定一名包保干部或一个包保单位")]})
    if user is not None and (user.unit is None or not user.unit.region.path.startswith(project.county.path)):
        raise ValidationError({"user": [_("包保干部须为本县(区)单位的干部")]})
    require_unit_in_county(unit, project.county, "unit")
    if full_time and user is None:
        raise ValidationError({"full_time": [_("只有干部可以脱产包保")]})
    if Stewardship.objects.filter(project=project, user=user, unit=unit, end_date__isnull=True).exists():
        raise ValidationError({"user": [_("已经是该项目的包保")]})
    stewardship = Stewardship(
        project=project, user=user, unit=unit, full_time=full_time, start_date=start_date
    )
    stewardship.full_clean()
    stewardship.save()
    audit.record(
        AuditEvent.STEWARD_ASSIGNED,
        actor=actor,
        target=stewardship,
        parent=project,
        changes=audit.diff({}, audit.snapshot(stewardship, ["user", "unit", "full_time", "start_date"])),
    )
    return stewardship


@transaction.atomic
def end_stewardship(
    stewardship: Stewardship, *, actor, end_date: datetime.date, reason: str = ""
) -> Stewardship:
    require_office(actor, stewardship.project.county)
    if stewardship.end_date:
        raise ValidationError({"end_date": [_("该包保已经结束")]})
    if end_date < stewardship.start_date:
        raise ValidationError({"end_date": [_("结束日期不能早于开始日期")]})
    stewardship.end_date = end_date
    stewardship.save(update_fields=["end_date", "updated_at"])
    audit.record(
        AuditEvent.STEWARD_ENDED,
        actor=actor,
        target=stewardship,
        parent=stewardship.project,
        changes={"end_date": [None, end_date.isoformat()]},
        reason=reason,
    )
    return stewardship


@transaction.atomic
def report_investment(
    project: Project, *, actor, year: int, month: int, cumulative: Decimal, reason: str = ""
) -> InvestmentReport:
    """The year's cumulative completed investment at the end of a month.

    Cumulative figures never fall without a reason: a figure below the previous month's (or
    below what this month already said) is refused unless a reason is given, and the reason is
    kept on the row and in the audit entry.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_change(actor, project)
    reason = (reason or "").strip()
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": [_("月份须在1到12之间")]})
    if cumulative is None or Decimal(cumulative) < 0:
        raise ValidationError({"cumulative": [_("金额不能为负数")]})
    reports = InvestmentReport.objects.filter(project=project, year=year)
    earlier = reports.filter(month__lt=month).order_by("-month").first()
    current = reports.filter(month=month).first()
    floor = max([r.cumulative for r in (earlier, current) if r is not None], default=Decimal(0))
    if Decimal(cumulative) < floor and not reason:
        raise ValidationError(
            {"cumulative": [_("累计完成投资不能低于此前填报的%(v)s万元；确需核减请说明原因") % {"v": floor}]}
        )
    old = current.cumulative if current else None
    report = current or InvestmentReport(project=project, year=year, month=month)
    report.cumulative = Decimal(cumulative).quantize(Decimal("0.01"))
    report.reason, report.reported_by = reason, actor
    report.full_clean()
    report.save()
    audit.record(
        AuditEvent.INVESTMENT_REPORTED,
        actor=actor,
        target=project,
        changes={
            f"cumulative_{year}_{month:02d}": [None if old is None else str(old), str(report.cumulative)]
        },
        reason=reason,
    )
    if year == project.plan_year:
        latest = reports.order_by("-month").first()
        project.year_completed_investment = latest.cumulative if latest else Decimal(0)
        project.save(update_fields=["year_completed_investment", "updated_at"])
    refresh_light(project)
    return report


def refresh_light(project: Project, today: datetime.date | None = None) -> None:
    """Store the project's overall light (derived data: not audited)."""
    light = project_light(project, list(project.milestones.all()), today)
    if (project.light, project.light_reason) != (light.colour, light.reason[:100]):
        project.light, project.light_reason = light.colour, light.reason[:100]
        Project.objects.filter(pk=project.pk).update(light=light.colour, light_reason=light.reason[:100])


def refresh_lights(today: datetime.date | None = None) -> int:
    """Recompute every project's light (lights move with the date): the nightly job."""
    changed = []
    projects = Project.objects.exclude(status=ProjectStatus.SUSPENDED).prefetch_related("milestones")
    for project in projects.iterator(chunk_size=500):
        light = project_light(project, list(project.milestones.all()), today)
        if (project.light, project.light_reason) != (light.colour, light.reason[:100]):
            project.light, project.light_reason = light.colour, light.reason[:100]
            changed.append(project)
    Project.objects.bulk_update(changed, ["light", "light_reason"], batch_size=500)
    return len(changed)
