"""Quantity works: the office plans work items per village; towns report what they completed."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES
from duban.audit.events import AuditEvent

from ..choices import Measure
from ..models import Campaign, CampaignVillage, QuantityPlan, QuantityReport, WorkItem
from .common import in_county, require_office, required_text, to_decimal


@transaction.atomic
def add_work_item(campaign: Campaign, *, actor, name: str, measure: str, unit_label: str) -> WorkItem:
    require_office(actor, campaign.county)
    if measure not in Measure.values:
        raise ValidationError({"measure": [_("请选择计量方式")]})
    name = required_text(name, "name", _("请填写工作内容"))
    if WorkItem.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError({"name": [_("“%(name)s”已存在") % {"name": name}]})
    item = WorkItem.objects.create(
        campaign=campaign,
        name=name,
        measure=measure,
        unit_label=required_text(unit_label, "unit_label", _("请填写计量单位")),
        sequence=campaign.work_items.count() + 1,
    )
    audit.record(
        AuditEvent.CAMPAIGN_CHANGED, actor=actor, target=campaign, changes={"work_item": [None, item.name]}
    )
    return item


@transaction.atomic
def set_plans(work_item: WorkItem, *, actor, plans: Mapping[CampaignVillage, Any]) -> int:
    """Set the planned quantity of each given village (all or nothing). Returns how many changed."""
    require_office(actor, work_item.campaign.county)
    checked: dict[CampaignVillage, Decimal] = {}
    for village, value in plans.items():
        if village.campaign_id != work_item.campaign_id:
            raise ValidationError({"village": [_("“%(v)s”不在本次专项行动范围内") % {"v": village}]})
        planned = to_decimal(value, "planned", _("“%(v)s”的计划量") % {"v": village})
        if planned is None or planned < 0:
            raise ValidationError({"planned": [_("“%(v)s”的计划量不能为负数或空") % {"v": village}]})
        checked[village] = planned
    existing = {
        p.village_id: p for p in QuantityPlan.objects.filter(work_item=work_item, village__in=checked)
    }
    changes = {}
    for village, planned in checked.items():
        plan = existing.get(village.pk)
        old = plan.planned if plan else None
        if plan is None:
            QuantityPlan.objects.create(work_item=work_item, village=village, planned=planned)
        elif old != planned:
            plan.planned = planned
            plan.save(update_fields=["planned", "updated_at"])
        else:
            continue
        changes[str(village)] = [old, planned]
    if changes:
        audit.record(
            AuditEvent.QUANTITY_PLANNED,
            actor=actor,
            target=work_item,
            parent=work_item.campaign,
            changes=changes,
        )
    return len(changes)


def _may_report(actor, village: CampaignVillage) -> bool:
    units = policy.grants_of(actor).units(UNIT_SCOPED_ROLES)
    return village.town.unit_id in units or in_county(village.campaign.county, "supervision_office", actor)


@transaction.atomic
def report_quantity(
    work_item: WorkItem,
    village: CampaignVillage,
    *,
    actor,
    period_end: datetime.date,
    quantity,
    confirm_over_plan: bool = False,
    note: str = "",
) -> QuantityReport:
    """Record what a village completed in a period; above the plan only when confirmed."""
    if village.campaign_id != work_item.campaign_id:
        raise ValidationError({"village": [_("该村不在本次专项行动范围内")]})
    if not _may_report(actor, village):
        raise PermissionDenied(_("只有责任镇街或督查室可以填报工作量"))
    amount = to_decimal(quantity, "quantity", _("本期完成量"))
    if amount is None or amount < 0:
        raise ValidationError({"quantity": [_("完成量不能为负数或空")]})
    campaign = work_item.campaign
    if not campaign.start_date <= period_end <= campaign.end_date:
        raise ValidationError({"period_end": [_("统计截止日期须在专项行动期限内")]})
    plan = QuantityPlan.objects.filter(work_item=work_item, village=village).first()
    if plan is None:
        raise ValidationError({"quantity": [_("该村没有“%(item)s”的计划量") % {"item": work_item}]})
    others = QuantityReport.objects.filter(work_item=work_item, village=village).exclude(
        period_end=period_end
    )
    total = (others.aggregate(s=Sum("quantity"))["s"] or Decimal(0)) + amount
    if total > plan.planned and not confirm_over_plan:
        raise ValidationError(
            {
                "quantity": [
                    _("累计完成%(total)s%(unit)s，超过计划%(plan)s%(unit)s，请确认后再提交")
                    % {"total": total, "plan": plan.planned, "unit": work_item.unit_label}
                ]
            }
        )
    report = QuantityReport.objects.filter(
        work_item=work_item, village=village, period_end=period_end
    ).first()
    before = audit.snapshot(report, ["quantity", "note"]) if report else {}
    report = report or QuantityReport(work_item=work_item, village=village, period_end=period_end)
    report.quantity, report.note, report.reported_by = amount, (note or "").strip(), actor
    report.over_plan_confirmed = total > plan.planned
    report.save()
    audit.record(
        AuditEvent.QUANTITY_REPORTED,
        actor=actor,
        target=report,
        parent=work_item,
        changes=audit.diff(before, audit.snapshot(report, ["quantity", "note"])),
        description=f"{village} {work_item} {period_end.isoformat()}",
    )
    return report
