"""Rewards and penalties: the office proposes the list from the ranking and the rules, adjusts it
with reasons, a county leader approves it, the office publishes it (read-only from then on)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent

from .. import queries, sanction_rules
from ..choices import SanctionKind, SanctionListStatus, SanctionTrigger
from ..models import Campaign, CampaignTown, InspectionRound, Sanction, SanctionList, SanctionRule
from .common import in_county, require_office, required_text, to_decimal


@transaction.atomic
def add_sanction_rule(
    campaign: Campaign,
    *,
    actor,
    trigger: str,
    kind: str,
    text: str,
    amount=0,
    rank_from: int = 1,
    rank_to: int = 1,
    red_below=None,
) -> SanctionRule:
    require_office(actor, campaign.county)
    if trigger not in SanctionTrigger.values or kind not in SanctionKind.values:
        raise ValidationError({"trigger": [_("请选择触发条件和奖惩方式")]})
    money = to_decimal(amount, "amount", _("金额")) or Decimal(0)
    if money < 0:
        raise ValidationError({"amount": [_("金额不能为负数")]})
    if trigger == SanctionTrigger.TOP_PLACES and not 1 <= rank_from <= rank_to:
        raise ValidationError({"rank_from": [_("名次范围不正确")]})
    line = to_decimal(red_below, "red_below", _("红灯分数线"))
    if trigger == SanctionTrigger.TWO_REDS and line is None:
        raise ValidationError({"red_below": [_("请填写红灯分数线")]})
    rule = SanctionRule.objects.create(
        campaign=campaign,
        trigger=trigger,
        kind=kind,
        amount=money,
        rank_from=rank_from,
        rank_to=rank_to,
        red_below=line,
        text=required_text(text, "text", _("请填写奖惩内容")),
    )
    audit.record(
        AuditEvent.CAMPAIGN_CHANGED,
        actor=actor,
        target=campaign,
        changes={"sanction_rule": [None, rule.text]},
    )
    return rule


def _previous_round(round_: InspectionRound) -> InspectionRound | None:
    return (
        InspectionRound.objects.filter(campaign=round_.campaign, start_date__lte=round_.start_date)
        .exclude(pk=round_.pk)
        .exclude(start_date=round_.start_date, pk__gt=round_.pk)
        .order_by("-start_date", "-pk")
        .first()
    )


def _require_draft(sanction_list: SanctionList) -> None:
    if sanction_list.status != SanctionListStatus.DRAFT:
        raise ValidationError(_("奖惩名单已审定或公布，不能修改"))


@transaction.atomic
def propose_sanctions(round_: InspectionRound, *, actor) -> SanctionList:
    """(Re)build the draft list of a round from its ranking and the campaign's rules."""
    campaign = round_.campaign
    require_office(actor, campaign.county)
    sanction_list, _created = SanctionList.objects.select_for_update().get_or_create(round=round_)
    _require_draft(sanction_list)
    ranking = [(r.town.pk, r.rank, r.score) for r in queries.round_ranking(round_)]
    if not ranking:
        raise ValidationError(_("本轮还没有已提交的得分，无法拟定奖惩名单"))
    previous = _previous_round(round_)
    before = {r.town.pk: r.score for r in queries.round_ranking(previous)} if previous else {}
    proposals = sanction_rules.propose(ranking, before, campaign.sanction_rules.all())
    sanction_list.sanctions.all().delete()
    Sanction.objects.bulk_create(
        Sanction(
            sanction_list=sanction_list,
            town_id=p.town_id,
            kind=p.kind,
            amount=p.amount,
            reason=p.reason,
            rank=p.rank,
            score=p.score,
        )
        for p in proposals
    )
    audit.record(
        AuditEvent.SANCTIONS_PROPOSED,
        actor=actor,
        target=sanction_list,
        parent=round_,
        changes={"sanctions": [None, len(proposals)]},
    )
    return sanction_list


@transaction.atomic
def adjust_sanction(
    sanction: Sanction, *, actor, reason: str, amount=None, withdraw: bool = False
) -> Sanction:
    """The office changes an amount or withdraws an entry of a draft list, always with a reason."""
    sanction_list = (
        SanctionList.objects.select_for_update()
        .select_related("round__campaign__county")
        .get(pk=sanction.sanction_list_id)
    )
    require_office(actor, sanction_list.round.campaign.county)
    _require_draft(sanction_list)
    reason = required_text(reason, "reason", _("调整奖惩须说明理由"))
    fields = ["amount", "withdrawn", "adjustment"]
    before = audit.snapshot(sanction, fields)
    if amount is not None:
        money = to_decimal(amount, "amount", _("金额"))
        if money is None or money < 0:
            raise ValidationError({"amount": [_("金额不能为负数")]})
        sanction.amount = money
    sanction.withdrawn, sanction.adjustment = withdraw, reason
    sanction.save(update_fields=[*fields, "updated_at"])
    audit.record(
        AuditEvent.SANCTION_ADJUSTED,
        actor=actor,
        target=sanction,
        parent=sanction_list,
        changes=audit.diff(before, audit.snapshot(sanction, fields)),
        reason=reason,
        description=f"{sanction.town} {sanction.get_kind_display()}",
    )
    return sanction


@transaction.atomic
def add_sanction(
    sanction_list: SanctionList, *, actor, town: CampaignTown, kind: str, reason: str, amount=0
) -> Sanction:
    """The office adds an entry the rules did not propose (with the reason)."""
    sanction_list = (
        SanctionList.objects.select_for_update()
        .select_related("round__campaign__county")
        .get(pk=sanction_list.pk)
    )
    require_office(actor, sanction_list.round.campaign.county)
    _require_draft(sanction_list)
    if town.campaign_id != sanction_list.round.campaign_id or kind not in SanctionKind.values:
        raise ValidationError({"town": [_("请选择本次专项行动的镇街和奖惩方式")]})
    money = to_decimal(amount, "amount", _("金额")) or Decimal(0)
    if money < 0:
        raise ValidationError({"amount": [_("金额不能为负数")]})
    reason = required_text(reason, "reason", _("增加奖惩须说明理由"))
    sanction = Sanction.objects.create(
        sanction_list=sanction_list,
        town=town,
        kind=kind,
        amount=money,
        reason=reason,
        proposed=False,
        adjustment=reason,
    )
    audit.record(
        AuditEvent.SANCTION_ADJUSTED,
        actor=actor,
        target=sanction,
        parent=sanction_list,
        changes={"kind": [None, kind], "amount": [None, money]},
        reason=reason,
        description=f"{town} {kind}",
    )
    return sanction


@transaction.atomic
def approve_sanctions(sanction_list: SanctionList, *, actor) -> SanctionList:
    """A county leader approves the draft list."""
    if not in_county(sanction_list.round.campaign.county, Role.COUNTY_LEADER, actor):
        raise PermissionDenied(_("只有县领导可以审定奖惩名单"))
    sanction_list = SanctionList.objects.select_for_update().get(pk=sanction_list.pk)
    _require_draft(sanction_list)
    sanction_list.status, sanction_list.approved_by = SanctionListStatus.APPROVED, actor
    sanction_list.approved_at = timezone.now()
    sanction_list.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        AuditEvent.SANCTIONS_APPROVED,
        actor=actor,
        target=sanction_list,
        changes={"status": [SanctionListStatus.DRAFT, SanctionListStatus.APPROVED]},
    )
    return sanction_list


@transaction.atomic
def publish_sanctions(sanction_list: SanctionList, *, actor) -> SanctionList:
    """The office publishes an approved list (and the round's ranking); read-only from then on."""
    round_ = sanction_list.round
    require_office(actor, round_.campaign.county)
    sanction_list = SanctionList.objects.select_for_update().get(pk=sanction_list.pk)
    if sanction_list.status != SanctionListStatus.APPROVED:
        raise ValidationError(_("奖惩名单须经县领导审定后才能公布"))
    sanction_list.status, sanction_list.published_at = SanctionListStatus.PUBLISHED, timezone.now()
    sanction_list.save(update_fields=["status", "published_at", "updated_at"])
    if not round_.ranking_published:
        InspectionRound.objects.filter(pk=round_.pk).update(ranking_published=True)
    audit.record(
        AuditEvent.SANCTIONS_PUBLISHED,
        actor=actor,
        target=sanction_list,
        changes={"status": [SanctionListStatus.APPROVED, SanctionListStatus.PUBLISHED]},
    )
    return sanction_list
