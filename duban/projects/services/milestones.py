"""Milestones: planned dates (locked once the project is confirmed), moves approved by the office."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.audit.events import AuditEvent

from ..choices import MilestoneKind, MoveStatus
from ..models import Milestone, MilestoneMove, Project
from .common import require_change, require_office, required_text
from .projects import refresh_light


def _check_in_span(project: Project, day: datetime.date, field: str = "planned_date") -> None:
    if not project.planned_start <= day <= project.planned_completion:
        raise ValidationError(
            {
                field: [
                    _("节点日期须在项目计划工期内（%(a)s至%(b)s）")
                    % {"a": project.planned_start.isoformat(), "b": project.planned_completion.isoformat()}
                ]
            }
        )


@transaction.atomic
def add_milestone(
    project: Project, *, actor, name: str, planned_date: datetime.date, kind: str = MilestoneKind.OTHER
) -> Milestone:
    require_change(actor, project)
    name = required_text(name, "name", _("请填写节点名称"))
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": [_("无效的节点类型")]})
    _check_in_span(project, planned_date)
    sequence = (project.milestones.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    milestone = Milestone(project=project, kind=kind, name=name, sequence=sequence, planned_date=planned_date)
    milestone.full_clean()
    milestone.save()
    audit.record(
        AuditEvent.MILESTONE_ADDED,
        actor=actor,
        target=milestone,
        parent=project,
        changes=audit.diff({}, audit.snapshot(milestone, ["kind", "name", "planned_date"])),
    )
    refresh_light(project)
    return milestone


@transaction.atomic
def set_planned_date(milestone: Milestone, *, actor, planned_date: datetime.date) -> Milestone:
    """Before confirmation the plan is still a draft: the lead unit sets dates freely."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("project").get(pk=milestone.pk)
    )
    project = milestone.project
    require_change(actor, project)
    if project.confirmed_at:
        raise ValidationError({"planned_date": [_("项目节点已锁定，调整计划日期须提出申请并经督查室同意")]})
    _check_in_span(project, planned_date)
    old = milestone.planned_date
    milestone.planned_date = planned_date
    milestone.save(update_fields=["planned_date", "updated_at"])
    audit.record(
        AuditEvent.MILESTONE_CHANGED,
        actor=actor,
        target=milestone,
        parent=project,
        changes={"planned_date": [old.isoformat(), planned_date.isoformat()]},
    )
    refresh_light(project)
    return milestone


@transaction.atomic
def reach_milestone(
    milestone: Milestone, *, actor, actual_date: datetime.date, evidence_note: str = ""
) -> Milestone:
    """The milestone is reached; the evidence (photo, document) goes on its attachments panel."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("project").get(pk=milestone.pk)
    )
    require_change(actor, milestone.project)
    if milestone.actual_date:
        raise ValidationError({"actual_date": [_("该节点已经完成")]})
    if actual_date > timezone.localdate():
        raise ValidationError({"actual_date": [_("实际完成日期不能晚于今天")]})
    if actual_date < milestone.project.planned_start - datetime.timedelta(days=366):
        raise ValidationError({"actual_date": [_("实际完成日期过早，请核对")]})
    milestone.actual_date, milestone.evidence_note = actual_date, (evidence_note or "").strip()
    milestone.full_clean()
    milestone.save(update_fields=["actual_date", "evidence_note", "updated_at"])
    audit.record(
        AuditEvent.MILESTONE_REACHED,
        actor=actor,
        target=milestone,
        parent=milestone.project,
        changes={"actual_date": [None, actual_date.isoformat()]},
        reason=milestone.evidence_note,
    )
    refresh_light(milestone.project)
    return milestone


@transaction.atomic
def request_move(milestone: Milestone, *, actor, new_date: datetime.date, reason: str) -> MilestoneMove:
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("project").get(pk=milestone.pk)
    )
    project = milestone.project
    require_change(actor, project)
    reason = required_text(reason, "reason", _("调整节点日期须说明理由"))
    if not project.confirmed_at:
        raise ValidationError({"new_date": [_("项目节点尚未锁定，可直接修改计划日期")]})
    if milestone.actual_date:
        raise ValidationError({"new_date": [_("节点已经完成，不能调整")]})
    if new_date == milestone.planned_date:
        raise ValidationError({"new_date": [_("新日期与原计划日期相同")]})
    _check_in_span(project, new_date, "new_date")
    move = MilestoneMove(
        milestone=milestone,
        old_date=milestone.planned_date,
        new_date=new_date,
        reason=reason,
        requested_by=actor,
    )
    try:
        with transaction.atomic():
            move.save()
    except IntegrityError as exc:
        raise ValidationError({"new_date": [_("该节点已有待审批的调整申请")]}) from exc
    audit.record(
        AuditEvent.MILESTONE_MOVE_REQUESTED,
        actor=actor,
        target=milestone,
        parent=project,
        changes={"planned_date": [move.old_date.isoformat(), new_date.isoformat()]},
        reason=reason,
    )
    return move


def _pending(move: MilestoneMove, actor) -> MilestoneMove:
    move = (
        MilestoneMove.objects.select_for_update(of=("self",))
        .select_related("milestone__project__county")
        .get(pk=move.pk)
    )
    require_office(actor, move.milestone.project.county)
    if move.status != MoveStatus.PENDING:
        raise ValidationError({"__all__": [_("该申请已经处理")]})
    return move


@transaction.atomic
def approve_move(move: MilestoneMove, *, actor, note: str = "") -> MilestoneMove:
    """The office agrees: the planned date moves, counted as a move and as days slipped."""
    move = _pending(move, actor)
    milestone = Milestone.objects.select_for_update().get(pk=move.milestone_id)
    move.status, move.decided_by, move.decided_at = MoveStatus.APPROVED, actor, timezone.now()
    move.decision_note = (note or "").strip()
    move.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    milestone.planned_date = move.new_date
    milestone.move_count += 1
    milestone.days_slipped += move.days
    milestone.save(update_fields=["planned_date", "move_count", "days_slipped", "updated_at"])
    audit.record(
        AuditEvent.MILESTONE_MOVE_APPROVED,
        actor=actor,
        target=milestone,
        parent=move.milestone.project,
        changes={"planned_date": [move.old_date.isoformat(), move.new_date.isoformat()]},
        reason=move.reason + (f"；审批意见：{move.decision_note}" if move.decision_note else ""),
    )
    refresh_light(move.milestone.project)
    return move


@transaction.atomic
def refuse_move(move: MilestoneMove, *, actor, note: str) -> MilestoneMove:
    move = _pending(move, actor)
    move.decision_note = required_text(note, "note", _("不同意时须填写审批意见"))
    move.status, move.decided_by, move.decided_at = MoveStatus.REFUSED, actor, timezone.now()
    move.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(
        AuditEvent.MILESTONE_MOVE_REFUSED,
        actor=actor,
        target=move.milestone,
        parent=move.milestone.project,
        reason=move.decision_note,
    )
    return move
