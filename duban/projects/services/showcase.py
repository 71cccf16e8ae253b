"""The showcase tour: the office sets the standard; stewards and the office assess readiness and
list gaps (which can become problems); inspectors score rehearsals."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent

from ..choices import Level, Organiser, Readiness
from ..models import Project, ReadinessAssessment, RehearsalScore, Showcase, ShowcaseCriterion, ShowcaseGap
from .common import is_office_for, require_office, require_unit_in_county, required_text
from .problems import raise_problem

SHOWCASE_FIELDS = ["name", "date", "organiser", "top_points", "rank_step"]


@transaction.atomic
def create_showcase(
    *,
    actor,
    county,
    name: str,
    date: datetime.date,
    organiser: str = Organiser.CITY,
    top_points: Decimal = Decimal(100),
    rank_step: Decimal = Decimal(3),
) -> Showcase:
    require_office(actor, county)
    showcase = Showcase(
        county=county,
        name=required_text(name, "name", _("请填写观摩活动名称")),
        date=date,
        organiser=organiser,
        top_points=top_points,
        rank_step=rank_step,
    )
    showcase.full_clean()
    showcase.save()
    audit.record(
        AuditEvent.SHOWCASE_CREATED,
        actor=actor,
        target=showcase,
        changes=audit.diff({}, audit.snapshot(showcase, SHOWCASE_FIELDS)),
    )
    return showcase


@transaction.atomic
def add_criterion(
    showcase: Showcase, *, actor, name: str, weight: Decimal, requirement: str = ""
) -> ShowcaseCriterion:
    require_office(actor, showcase.county)
    if weight is None or Decimal(weight) <= 0:
        raise ValidationError({"weight": [_("权重须大于0")]})
    criterion = ShowcaseCriterion(
        showcase=showcase,
        name=required_text(name, "name", _("请填写观摩标准")),
        weight=weight,
        requirement=(requirement or "").strip(),
        sequence=showcase.criteria.count() + 1,
    )
    criterion.full_clean()
    criterion.save()
    audit.record(
        AuditEvent.SHOWCASE_CHANGED,
        actor=actor,
        target=showcase,
        changes={"criterion": [None, f"{criterion.name}（权重{criterion.weight}）"]},
    )
    return criterion


def _check_project(showcase: Showcase, project: Project) -> None:
    if project.county_id != showcase.county_id or project.level != Level.CITY_SHOWCASE:
        raise ValidationError({"project": [_("只有本县(区)的市级观摩项目参加该观摩")]})


def _may_assess(actor, project: Project) -> bool:
    return is_office_for(actor, project.county) or policy.can(actor, policy.CHANGE, project)


@transaction.atomic
def assess_readiness(
    criterion: ShowcaseCriterion, project: Project, *, actor, result: str, evidence: str = ""
) -> ReadinessAssessment:
    """Met / partly / not met against one criterion, with the evidence; re-assessing replaces it."""
    showcase = criterion.showcase
    _check_project(showcase, project)
    if not _may_assess(actor, project):
        raise PermissionDenied(_("无权评估该项目"))
    if result not in Readiness.values:
        raise ValidationError({"result": [_("请选择对照情况")]})
    row = ReadinessAssessment.objects.filter(criterion=criterion, project=project).first()
    old = row.result if row else None
    row = row or ReadinessAssessment(criterion=criterion, project=project)
    row.result, row.evidence, row.assessed_by = result, (evidence or "").strip(), actor
    row.full_clean()
    row.save()
    audit.record(
        AuditEvent.SHOWCASE_ASSESSED,
        actor=actor,
        target=project,
        parent=showcase,
        changes={f"criterion:{criterion.name}": [old, result]},
        reason=row.evidence,
    )
    return row


@transaction.atomic
def add_gap(
    showcase: Showcase, project: Project, *, actor, what: str, owner_unit, due_date: datetime.date
) -> ShowcaseGap:
    _check_project(showcase, project)
    if not _may_assess(actor, project):
        raise PermissionDenied(_("无权登记该项目的差距"))
    require_unit_in_county(owner_unit, showcase.county, "owner_unit")
    if due_date > showcase.date:
        raise ValidationError({"due_date": [_("完成时限不能晚于观摩日期")]})
    gap = ShowcaseGap(
        showcase=showcase,
        project=project,
        what=required_text(what, "what", _("请填写差距")),
        owner_unit=owner_unit,
        due_date=due_date,
        created_by=actor,
    )
    gap.full_clean()
    gap.save()
    audit.record(
        AuditEvent.SHOWCASE_GAP_ADDED,
        actor=actor,
        target=project,
        parent=showcase,
        changes=audit.diff({}, audit.snapshot(gap, ["what", "owner_unit", "due_date"])),
    )
    return gap


@transaction.atomic
def convert_gap(gap: ShowcaseGap, *, actor):
    """Turn a gap into a problem assigned to its unit, due on the gap's date."""
    gap = ShowcaseGap.objects.select_for_update().get(pk=gap.pk)
    if not _may_assess(actor, gap.project):  # like add_gap: the office and those who keep the project
        raise PermissionDenied(_("无权执行此操作"))
    if gap.problem_id:
        raise ValidationError({"__all__": [_("该差距已转为问题")]})
    problem = raise_problem(
        gap.project,
        actor=actor,
        kind="other",
        title=gap.what[:100],
        description=_("对照观摩要求的差距（%(s)s）") % {"s": gap.showcase.name},
        units=[gap.owner_unit],
        due_date=gap.due_date,
    )
    gap.problem = problem
    gap.save(update_fields=["problem", "updated_at"])
    audit.record(
        AuditEvent.SHOWCASE_GAP_CONVERTED, actor=actor, target=problem, parent=gap.project, reason=gap.what
    )
    return problem


@transaction.atomic
def score_rehearsal(showcase: Showcase, project: Project, *, actor, score: Decimal) -> RehearsalScore:
    """An inspector of the county scores a project as the city will; scoring again replaces it."""
    _check_project(showcase, project)
    paths = policy.grants_of(actor).paths({Role.INSPECTOR})
    if not any(showcase.county.path.startswith(p) for p in paths):
        raise PermissionDenied(_("只有检查员可以预观摩打分"))
    if score is None or not Decimal(0) <= Decimal(score) <= Decimal(100):
        raise ValidationError({"score": [_("得分须在0到100之间")]})
    row = RehearsalScore.objects.filter(showcase=showcase, project=project, inspector=actor).first()
    old = str(row.score) if row else None
    row = row or RehearsalScore(showcase=showcase, project=project, inspector=actor)
    row.score = Decimal(score)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError({"score": [_("请勿重复提交")]}) from exc
    audit.record(
        AuditEvent.SHOWCASE_REHEARSAL_SCORED,
        actor=actor,
        target=project,
        parent=showcase,
        changes={"score": [old, str(row.score)]},
    )
    return row


@transaction.atomic
def update_showcase(showcase: Showcase, *, actor, **values) -> Showcase:
    """The office corrects the tour's name, date, organiser or the city's points rule."""
    showcase = Showcase.objects.select_for_update().select_related("county").get(pk=showcase.pk)
    require_office(actor, showcase.county)
    before = audit.snapshot(showcase, SHOWCASE_FIELDS)
    for field, value in values.items():
        if field not in SHOWCASE_FIELDS:
            raise ValidationError({field: [_("该字段不能修改")]})
        setattr(showcase, field, value.strip() if isinstance(value, str) else value)
    required_text(showcase.name, "name", _("请填写观摩活动名称"))
    showcase.full_clean()
    showcase.save(update_fields=[*SHOWCASE_FIELDS, "updated_at"])
    changes = audit.diff(before, audit.snapshot(showcase, SHOWCASE_FIELDS))
    if changes:
        audit.record(AuditEvent.SHOWCASE_CHANGED, actor=actor, target=showcase, changes=changes)
    return showcase


@transaction.atomic
def update_criterion(
    criterion: ShowcaseCriterion, *, actor, name: str, weight: Decimal, requirement: str = ""
) -> ShowcaseCriterion:
    criterion = (
        ShowcaseCriterion.objects.select_for_update(of=("self",))
        .select_related("showcase__county")
        .get(pk=criterion.pk)
    )
    require_office(actor, criterion.showcase.county)
    if weight is None or Decimal(weight) <= 0:
        raise ValidationError({"weight": [_("权重须大于0")]})
    before = f"{criterion.name}（权重{criterion.weight}）：{criterion.requirement}"
    criterion.name = required_text(name, "name", _("请填写观摩标准"))
    criterion.weight, criterion.requirement = Decimal(weight), (requirement or "").strip()
    criterion.full_clean()
    criterion.save(update_fields=["name", "weight", "requirement", "updated_at"])
    after = f"{criterion.name}（权重{criterion.weight}）：{criterion.requirement}"
    if after != before:
        audit.record(
            AuditEvent.SHOWCASE_CHANGED,
            actor=actor,
            target=criterion.showcase,
            changes={"criterion": [before, after]},
        )
    return criterion
