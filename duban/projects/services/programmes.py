"""Programmes run by a headquarters: created by the office with the plan-making steps, steps
reached by the headquarters, projects attached to the programme."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES
from duban.audit.events import AuditEvent

from ..choices import PLAN_TEMPLATE
from ..models import PlanMilestone, Programme, Project
from .common import is_office_for, require_office, require_unit_in_county, required_text
from .projects import _template_dates


def may_steer_programme(actor, programme: Programme) -> bool:
    """The office and the headquarters' head or liaison."""
    if is_office_for(actor, programme.county):
        return True
    return programme.headquarters_id in policy.grants_of(actor).units(UNIT_SCOPED_ROLES)


@transaction.atomic
def create_programme(
    *,
    actor,
    county,
    name: str,
    headquarters,
    plan_start: datetime.date,
    plan_end: datetime.date,
    members: Iterable = (),
    leader=None,
    description: str = "",
) -> Programme:
    require_office(actor, county)
    require_unit_in_county(headquarters, county, "headquarters")
    members = list(members)
    for unit in members:
        require_unit_in_county(unit, county, "members")
    if plan_end < plan_start:
        raise ValidationError({"plan_end": [_("规划完成日期不能早于开始日期")]})
    programme = Programme(
        county=county,
        name=required_text(name, "name", _("请填写片区/专项名称")),
        headquarters=headquarters,
        leader=leader,
        description=(description or "").strip(),
    )
    programme.full_clean()
    programme.save()
    programme.members.set(members)
    dates = _template_dates(plan_start, plan_end, len(PLAN_TEMPLATE))
    PlanMilestone.objects.bulk_create(
        [
            PlanMilestone(programme=programme, step=step, sequence=i, planned_date=day)
            for i, (step, day) in enumerate(zip(PLAN_TEMPLATE, dates, strict=True), 1)
        ]
    )
    audit.record(
        AuditEvent.PROGRAMME_CREATED,
        actor=actor,
        target=programme,
        changes={
            "name": [None, programme.name],
            "headquarters": [None, str(headquarters)],
            "members": [None, "、".join(str(u) for u in members) or None],
            "plan": [None, f"{plan_start.isoformat()}—{plan_end.isoformat()}"],
        },
    )
    return programme


@transaction.atomic
def reach_plan_milestone(milestone: PlanMilestone, *, actor, actual_date: datetime.date) -> PlanMilestone:
    milestone = (
        PlanMilestone.objects.select_for_update(of=("self",))
        .select_related("programme__county")
        .get(pk=milestone.pk)
    )
    if not may_steer_programme(actor, milestone.programme):
        raise PermissionDenied(_("只有指挥部或督查室可以更新规划节点"))
    if milestone.actual_date:
        raise ValidationError({"actual_date": [_("该节点已经完成")]})
    if actual_date > timezone.localdate():
        raise ValidationError({"actual_date": [_("实际完成日期不能晚于今天")]})
    milestone.actual_date = actual_date
    milestone.save(update_fields=["actual_date", "updated_at"])
    audit.record(
        AuditEvent.PROGRAMME_CHANGED,
        actor=actor,
        target=milestone.programme,
        changes={f"plan:{milestone.get_step_display()}": [None, actual_date.isoformat()]},
    )
    return milestone


@transaction.atomic
def add_project_to_programme(project: Project, programme: Programme, *, actor) -> Project:
    if not may_steer_programme(actor, programme):
        raise PermissionDenied(_("只有指挥部或督查室可以调整片区项目"))
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.county_id != programme.county_id:
        raise ValidationError({"project": [_("只能纳入本县(区)的项目")]})
    if project.programme_id == programme.pk:
        raise ValidationError({"project": [_("该项目已在本片区")]})
    old = project.programme_id
    project.programme = programme
    project.save(update_fields=["programme", "updated_at"])
    audit.record(
        AuditEvent.PROJECT_CHANGED,
        actor=actor,
        target=project,
        parent=programme,
        changes={"programme": [old, programme.pk]},
    )
    return project
