"""Progress reports: the lead unit's liaison submits, the unit head approves (locked) or returns;
a correction after approval needs a reason and becomes a new version, the old one kept."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.audit.events import AuditEvent

from ..choices import REPORT_TRANSITIONS, ReportStatus
from ..models import ProgressReport, Project
from ..periods import due_date, period_of
from .common import required_text

CONTENT_FIELDS = ["progress", "investment", "image_progress", "problems"]


def may_submit(actor, project: Project) -> bool:
    """The lead unit's liaison (or head) reports for the project."""
    return project.lead_unit_id in policy.grants_of(actor).units(UNIT_SCOPED_ROLES)


def may_approve(actor, project: Project) -> bool:
    return project.lead_unit_id in policy.grants_of(actor).units({Role.UNIT_HEAD})


def _content(progress: str, investment, image_progress, problems: str) -> dict:
    errors: dict[str, list] = {}
    try:
        money = Decimal(investment)
        if money < 0:
            errors["investment"] = [_("金额不能为负数")]
    except (InvalidOperation, TypeError, ValueError):
        errors["investment"] = [_("请填写本期完成投资")]
        money = Decimal(0)
    try:
        image = int(image_progress)
        if not 0 <= image <= 100:
            errors["image_progress"] = [_("形象进度须在0到100之间")]
    except (TypeError, ValueError):
        errors["image_progress"] = [_("形象进度须在0到100之间")]
        image = 0
    if errors:
        raise ValidationError(errors)
    return {
        "progress": required_text(progress, "progress", _("请填写工作进展")),
        "investment": money.quantize(Decimal("0.01")),
        "image_progress": image,
        "problems": (problems or "").strip(),
    }


def _move(report: ProgressReport, action: str) -> str:
    sources, target = REPORT_TRANSITIONS[action]
    if report.status not in sources or not report.is_current:
        raise ValidationError(
            {"__all__": [_("报告当前状态为“%(s)s”，不能执行此操作") % {"s": report.get_status_display()}]}
        )
    return target


def _lock(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("project__county")
        .get(pk=report.pk)
    )


@transaction.atomic
def submit_report(
    project: Project,
    *,
    actor,
    day: datetime.date,
    progress: str,
    investment,
    image_progress,
    problems: str = "",
) -> ProgressReport:
    """The report for the period holding `day` (at the project's frequency). A returned report is
    resubmitted in place; a submitted one waits for the head; an approved one needs a correction."""
    if not may_submit(actor, project):
        raise PermissionDenied(_("只有牵头单位可以报送项目进展"))
    today = timezone.localdate()
    start, end = period_of(day, project.report_frequency)
    if start > today:
        raise ValidationError({"day": [_("不能报送未来的报告期")]})
    values = _content(progress, investment, image_progress, problems)
    current = (
        ProgressReport.objects.select_for_update()
        .filter(project=project, period_start=start, is_current=True)
        .first()
    )
    if current is not None:
        if current.status == ReportStatus.SUBMITTED:
            raise ValidationError({"day": [_("该报告期已报送，等待审核")]})
        if current.status == ReportStatus.APPROVED:
            raise ValidationError({"day": [_("该报告期的报告已审核锁定，如需更正请说明理由")]})
        return _resubmit(current, actor, values)
    report = ProgressReport(
        project=project,
        frequency=project.report_frequency,
        period_start=start,
        period_end=end,
        due_date=due_date(end),
        submitted_by=actor,
        submitted_at=timezone.now(),
        **values,
    )
    report.late = today > report.due_date
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError({"day": [_("该报告期已报送，请勿重复提交")]}) from exc
    audit.record(
        AuditEvent.PROGRESS_REPORT_SUBMITTED,
        actor=actor,
        target=report,
        parent=project,
        changes=audit.diff(
            {}, audit.snapshot(report, ["period_start", "period_end", *CONTENT_FIELDS, "late"])
        ),
    )
    return report


def _resubmit(report: ProgressReport, actor, values: dict) -> ProgressReport:
    report.status = _move(report, "resubmit")
    before = audit.snapshot(report, CONTENT_FIELDS)
    for field, value in values.items():
        setattr(report, field, value)
    report.submitted_by, report.submitted_at = actor, timezone.now()
    report.full_clean()
    report.save(update_fields=[*CONTENT_FIELDS, "status", "submitted_by", "submitted_at", "updated_at"])
    audit.record(
        AuditEvent.PROGRESS_REPORT_SUBMITTED,
        actor=actor,
        target=report,
        parent=report.project,
        changes=audit.diff(before, audit.snapshot(report, CONTENT_FIELDS)),
        reason=str(_("退回后重新报送")),
    )
    return report


@transaction.atomic
def approve_report(report: ProgressReport, *, actor) -> ProgressReport:
    report = _lock(report)
    if not may_approve(actor, report.project):
        raise PermissionDenied(_("只有牵头单位主要负责人可以审核"))
    report.status = _move(report, "approve")
    report.approved_by, report.approved_at = actor, timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(AuditEvent.PROGRESS_REPORT_APPROVED, actor=actor, target=report, parent=report.project)
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, actor, note: str) -> ProgressReport:
    report = _lock(report)
    if not may_approve(actor, report.project):
        raise PermissionDenied(_("只有牵头单位主要负责人可以审核"))
    report.status = _move(report, "return")
    report.return_note = required_text(note, "note", _("退回时须填写意见"))
    report.save(update_fields=["status", "return_note", "updated_at"])
    audit.record(
        AuditEvent.PROGRESS_REPORT_RETURNED,
        actor=actor,
        target=report,
        parent=report.project,
        reason=report.return_note,
    )
    return report


@transaction.atomic
def correct_report(
    report: ProgressReport,
    *,
    actor,
    reason: str,
    progress: str,
    investment,
    image_progress,
    problems: str = "",
) -> ProgressReport:
    """An approved report is locked: a correction is a new version with its reason, for approval."""
    report = _lock(report)
    if not may_submit(actor, report.project):
        raise PermissionDenied(_("只有牵头单位可以报送项目进展"))
    reason = required_text(reason, "reason", _("更正已审核的报告须说明理由"))
    status = _move(report, "correct")
    values = _content(progress, investment, image_progress, problems)
    report.is_current = False
    report.save(update_fields=["is_current", "updated_at"])
    new = ProgressReport(
        project=report.project,
        frequency=report.frequency,
        period_start=report.period_start,
        period_end=report.period_end,
        due_date=report.due_date,
        version=report.version + 1,
        status=status,
        late=report.late,
        correction_reason=reason,
        submitted_by=actor,
        submitted_at=timezone.now(),
        **values,
    )
    new.full_clean()
    new.save()
    audit.record(
        AuditEvent.PROGRESS_REPORT_CORRECTED,
        actor=actor,
        target=new,
        parent=report.project,
        changes=audit.diff(audit.snapshot(report, CONTENT_FIELDS), audit.snapshot(new, CONTENT_FIELDS)),
        reason=reason,
    )
    return new
