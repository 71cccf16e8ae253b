"""Campaigns: creation, leading group, scope, time nodes (locked at launch) and score sheets."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent
from duban.org.choices import RegionLevel
from duban.org.models import Region, Unit

from ..choices import CampaignStatus, GroupRole, RollUp
from ..models import Campaign, CampaignTown, CampaignVillage, GroupMember, ScoreItem, ScoreSheet, TimeNode
from .common import in_county, require_office, required_text, to_decimal

CAMPAIGN_FIELDS = ["name", "kind", "start_date", "end_date", "lead_unit", "goals", "roll_up"]


@transaction.atomic
def create_campaign(
    *,
    actor,
    county: Region,
    name: str,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    lead_unit: Unit,
    goals: str = "",
    roll_up: str = RollUp.AVERAGE,
) -> Campaign:
    require_office(actor, county)
    if not lead_unit.region.path.startswith(county.path):
        raise ValidationError({"lead_unit": [_("牵头单位须为本县(区)单位")]})
    campaign = Campaign(
        county=county,
        name=required_text(name, "name", _("请填写专项行动名称")),
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        lead_unit=lead_unit,
        goals=(goals or "").strip(),
        roll_up=roll_up,
    )
    campaign.full_clean()
    campaign.save()
    audit.record(
        AuditEvent.CAMPAIGN_CREATED,
        actor=actor,
        target=campaign,
        changes=audit.diff({}, audit.snapshot(campaign, CAMPAIGN_FIELDS)),
    )
    return campaign


@transaction.atomic
def add_group_member(campaign: Campaign, *, actor, user, role: str = GroupRole.MEMBER) -> GroupMember:
    require_office(actor, campaign.county)
    if role not in GroupRole.values:
        raise ValidationError({"role": [_("请选择领导小组职务")]})
    if GroupMember.objects.filter(campaign=campaign, user=user).exists():
        raise ValidationError({"user": [_("“%(name)s”已在领导小组中") % {"name": user}]})
    member = GroupMember.objects.create(campaign=campaign, user=user, role=role)
    audit.record(
        AuditEvent.CAMPAIGN_CHANGED,
        actor=actor,
        target=campaign,
        changes={"group": [None, f"{user}（{member.get_role_display()}）"]},
    )
    return member


@transaction.atomic
def add_town(
    campaign: Campaign, *, actor, town: Region, unit: Unit, households: dict[int, int] | None = None
) -> CampaignTown:
    """Put a town and all its villages in scope; `households` maps village id → households."""
    require_office(actor, campaign.county)
    if town.level != RegionLevel.TOWN or not town.path.startswith(campaign.county.path):
        raise ValidationError({"town": [_("请选择本县(区)的镇(街道)")]})
    if not unit.region.path.startswith(town.path):
        raise ValidationError({"unit": [_("责任单位须为该镇(街道)的单位")]})
    if CampaignTown.objects.filter(campaign=campaign, town=town).exists():
        raise ValidationError({"town": [_("“%(town)s”已在本次专项行动范围内") % {"town": town}]})
    households = households or {}
    if any(h is None or h < 1 for h in households.values()):
        raise ValidationError({"households": [_("村庄户数须大于0")]})
    entry = CampaignTown.objects.create(campaign=campaign, town=town, unit=unit)
    villages = Region.objects.filter(parent=town, level=RegionLevel.VILLAGE)
    CampaignVillage.objects.bulk_create(
        CampaignVillage(campaign=campaign, town=entry, village=v, households=households.get(v.pk, 1))
        for v in villages
    )
    audit.record(
        AuditEvent.CAMPAIGN_CHANGED, actor=actor, target=campaign, changes={"town": [None, town.name]}
    )
    return entry


@transaction.atomic
def add_time_node(campaign: Campaign, *, actor, name: str, due_date: datetime.date) -> TimeNode:
    require_office(actor, campaign.county)
    if not campaign.start_date <= due_date <= campaign.end_date:
        raise ValidationError({"due_date": [_("时间节点须在专项行动期限内")]})
    # A node added after the launch is locked at once, like the others.
    campaign.refresh_from_db(fields=["status"])
    node = TimeNode.objects.create(
        campaign=campaign,
        name=required_text(name, "name", _("请填写时间节点")),
        due_date=due_date,
        locked=campaign.status != CampaignStatus.DRAFT,
    )
    audit.record(
        AuditEvent.CAMPAIGN_CHANGED,
        actor=actor,
        target=campaign,
        changes={"node": [None, f"{node.name} {due_date.isoformat()}"]},
    )
    return node


@transaction.atomic
def launch_campaign(campaign: Campaign, *, actor) -> Campaign:
    """Start the drive: its time nodes are locked from now on."""
    require_office(actor, campaign.county)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("专项行动已启动"))
    if not campaign.towns.exists():
        raise ValidationError({"towns": [_("请先确定参与的镇(街道)")]})
    campaign.status = CampaignStatus.ACTIVE
    campaign.save(update_fields=["status", "updated_at"])
    campaign.nodes.update(locked=True)
    audit.record(
        AuditEvent.CAMPAIGN_LAUNCHED,
        actor=actor,
        target=campaign,
        changes={"status": [CampaignStatus.DRAFT, CampaignStatus.ACTIVE]},
    )
    return campaign


@transaction.atomic
def move_time_node(node: TimeNode, *, actor, due_date: datetime.date, reason: str = "") -> TimeNode:
    """A locked node moves only by a county leader, with a reason; an unlocked one by the office."""
    campaign = node.campaign
    if node.locked:
        if not in_county(campaign.county, Role.COUNTY_LEADER, actor):
            raise PermissionDenied(_("时间节点已锁定，只有县领导可以调整"))
        reason = required_text(reason, "reason", _("调整已锁定的时间节点须说明理由"))
    else:
        require_office(actor, campaign.county)
    if not campaign.start_date <= due_date <= campaign.end_date:
        raise ValidationError({"due_date": [_("时间节点须在专项行动期限内")]})
    before = audit.snapshot(node, ["due_date"])
    node.due_date = due_date
    node.save(update_fields=["due_date", "updated_at"])
    audit.record(
        AuditEvent.CAMPAIGN_NODE_MOVED,
        actor=actor,
        target=node,
        parent=campaign,
        changes=audit.diff(before, audit.snapshot(node, ["due_date"])),
        reason=reason,
    )
    return node


def _check_item(values: Mapping[str, Any], index: int) -> ScoreItem:
    prefix = _("第%(n)d项") % {"n": index}
    max_points = to_decimal(values.get("max_points"), "items", _("%(p)s分值") % {"p": prefix}) or Decimal(0)
    per = to_decimal(values.get("per_occurrence"), "items", _("%(p)s每处扣分") % {"p": prefix}) or Decimal(0)
    cap = to_decimal(values.get("cap"), "items", _("%(p)s扣分上限") % {"p": prefix})
    if max_points < 0 or per < 0 or (cap is not None and cap < 0):
        raise ValidationError({"items": [_("%(p)s：分值和扣分不能为负数") % {"p": prefix}]})
    if cap is not None and cap > max_points:
        raise ValidationError({"items": [_("%(p)s：扣分上限不能超过该项分值") % {"p": prefix}]})
    return ScoreItem(
        category=required_text(values.get("category", ""), "items", _("%(p)s：请填写类别") % {"p": prefix}),
        name=required_text(values.get("name", ""), "items", _("%(p)s：请填写评分项目") % {"p": prefix}),
        max_points=max_points,
        per_occurrence=per,
        cap=cap,
        is_veto=bool(values.get("is_veto")),
        sequence=index,
    )


@transaction.atomic
def create_score_sheet(
    campaign: Campaign, *, actor, name: str, items: Sequence[Mapping[str, Any]]
) -> ScoreSheet:
    """Publish the next version of the campaign's score sheet; earlier versions stay as they were."""
    require_office(actor, campaign.county)
    checked = [_check_item(values, n) for n, values in enumerate(items, start=1)]
    if not checked:
        raise ValidationError({"items": [_("评分标准至少要有一个评分项目")]})
    names = [i.name for i in checked]
    if len(set(names)) != len(names):
        raise ValidationError({"items": [_("评分项目名称不能重复")]})
    latest = campaign.sheets.aggregate(v=Max("version"))["v"] or 0
    sheet = ScoreSheet.objects.create(
        campaign=campaign, name=required_text(name, "name", _("请填写评分标准名称")), version=latest + 1
    )
    for item in checked:
        item.sheet = sheet
    ScoreItem.objects.bulk_create(checked)
    audit.record(
        AuditEvent.SCORE_SHEET_CREATED,
        actor=actor,
        target=sheet,
        parent=campaign,
        changes={"version": [latest or None, sheet.version], "items": [None, len(checked)]},
    )
    return sheet
