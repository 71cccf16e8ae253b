"""Site visits (现场督导): recorded with their visitors and decisions; a decision becomes a problem."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent

from ..models import Project, SiteVisit, SiteVisitDecision, SiteVisitor
from .common import is_office_for, required_text
from .problems import raise_problem

MAX_DECISIONS = 20


def may_record_visit(actor, project: Project) -> bool:
    """The office, a county leader of the county, and whoever may change the project (stewards,
    the lead unit) record visits."""
    if is_office_for(actor, project.county) or policy.can(actor, policy.CHANGE, project):
        return True
    paths = policy.grants_of(actor).paths({Role.COUNTY_LEADER})
    return any(project.county.path.startswith(p) for p in paths)


def _check_people(project: Project, people: Iterable, field: str) -> list:
    people = [p for p in people if p is not None]
    for person in people:
        unit = getattr(person, "unit", None)
        if unit is None or not unit.region.path.startswith(project.county.path) or not person.is_active:
            raise ValidationError({field: [_("“%(p)s”不是本县(区)的在岗人员") % {"p": person}]})
    return people


@transaction.atomic
def record_site_visit(
    project: Project,
    *,
    actor,
    date: datetime.date,
    notes: str,
    leader=None,
    visitors: Iterable = (),
    decisions: Iterable[str] = (),
) -> SiteVisit:
    """A visit with who went (the leader counts as a visitor), what was seen and what was decided."""
    if not may_record_visit(actor, project):
        raise PermissionDenied(_("无权登记该项目的现场督导"))
    if date > timezone.localdate():
        raise ValidationError({"date": [_("督导日期不能晚于今天")]})
    if date < project.planned_start - datetime.timedelta(days=366):
        raise ValidationError({"date": [_("督导日期早于项目开工一年以上，请核对")]})
    notes = required_text(notes, "notes", _("请填写现场情况"))
    if leader is not None:
        paths = policy.grants_of(leader).paths({Role.COUNTY_LEADER})
        if not any(project.county.path.startswith(p) for p in paths):
            raise ValidationError({"leader": [_("带队领导须为本县(区)的县领导")]})
    people = _check_people(project, [leader, *visitors], "visitors")
    if not people:
        raise ValidationError({"visitors": [_("请选择督导人员")]})
    texts = [t.strip() for t in decisions if t and t.strip()]
    if len(texts) > MAX_DECISIONS:
        raise ValidationError({"decisions": [_("议定事项最多%(n)s条") % {"n": MAX_DECISIONS}]})
    for text in texts:
        if len(text) > 300:
            raise ValidationError({"decisions": [_("每条议定事项不超过300字")]})
    visit = SiteVisit(project=project, date=date, notes=notes, leader=leader, recorded_by=actor)
    visit.full_clean()
    visit.save()
    unique = list({p.pk: p for p in people}.values())
    SiteVisitor.objects.bulk_create([SiteVisitor(visit=visit, user=p) for p in unique])
    SiteVisitDecision.objects.bulk_create(
        [SiteVisitDecision(visit=visit, text=t, sequence=i) for i, t in enumerate(texts, 1)]
    )
    audit.record(
        AuditEvent.SITE_VISIT_RECORDED,
        actor=actor,
        target=visit,
        parent=project,
        changes={
            "date": [None, date.isoformat()],
            "leader": [None, str(leader) if leader else None],
            "visitors": [None, "、".join(str(p) for p in unique)],
            "notes": [None, notes],
            "decisions": [None, "；".join(texts) or None],
        },
    )
    return visit


@transaction.atomic
def convert_decision(
    decision: SiteVisitDecision,
    *,
    actor,
    kind: str,
    units: Iterable = (),
    working_days: int | None = None,
    due_date: datetime.date | None = None,
):
    """Turn a decision taken on site into a problem (assigned at once when units are given)."""
    decision = (
        SiteVisitDecision.objects.select_for_update(of=("self",))
        .select_related("visit__project__county")
        .get(pk=decision.pk)
    )
    project = decision.visit.project
    if not may_record_visit(actor, project):
        raise PermissionDenied(_("无权将议定事项转为问题"))
    if decision.problem_id:
        raise ValidationError({"__all__": [_("该议定事项已转为问题")]})
    problem = raise_problem(
        project,
        actor=actor,
        kind=kind,
        title=decision.text[:100],
        description=_("%(d)s现场督导议定事项：%(t)s")
        % {"d": decision.visit.date.isoformat(), "t": decision.text},
        units=list(units),
        working_days=working_days,
        due_date=due_date,
    )
    decision.problem = problem
    decision.save(update_fields=["problem", "updated_at"])
    audit.record(
        AuditEvent.SITE_VISIT_DECISION_CONVERTED,
        actor=actor,
        target=problem,
        parent=decision.visit,
        reason=decision.text,
    )
    return problem
