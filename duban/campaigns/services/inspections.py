"""Inspection rounds and site scores: inspectors score the sites of their rounds, never their own town."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.audit.events import AuditEvent

from .. import scoring
from ..choices import RoundKind, RoundStatus, ScoreStatus, SiteKind
from ..models import (
    Campaign,
    CampaignVillage,
    Deduction,
    InspectionRound,
    RoundSite,
    ScoreItem,
    ScoreSheet,
    SiteScore,
)
from .common import require_office, required_text, to_decimal


@transaction.atomic
def create_round(
    campaign: Campaign,
    *,
    actor,
    sheet: ScoreSheet,
    name: str,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    inspectors: Sequence,
    sites: Sequence[tuple[CampaignVillage, str, str]],
) -> InspectionRound:
    """Schedule a round with its inspectors and sites (village, kind, label); freezes the sheet version."""
    require_office(actor, campaign.county)
    if sheet.campaign_id != campaign.pk:
        raise ValidationError({"sheet": [_("评分标准不属于本次专项行动")]})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": [_("请选择检查方式")]})
    if not inspectors:
        raise ValidationError({"inspectors": [_("请指定检查人员")]})
    if any(v.campaign_id != campaign.pk for v, _k, _l in sites):
        raise ValidationError({"sites": [_("检查点位须在本次专项行动范围内")]})
    if any(k not in SiteKind.values for _v, k, _l in sites):
        raise ValidationError({"sites": [_("请选择点位类型")]})
    round_ = InspectionRound(
        campaign=campaign,
        sheet=sheet,
        name=required_text(name, "name", _("请填写检查轮次名称")),
        kind=kind,
        start_date=start_date,
        end_date=end_date,
    )
    round_.full_clean()
    round_.save()
    round_.inspectors.set(inspectors)
    RoundSite.objects.bulk_create(
        RoundSite(round=round_, village=v, kind=k, label=(label or "").strip()) for v, k, label in sites
    )
    if not sheet.frozen:
        ScoreSheet.objects.filter(pk=sheet.pk).update(frozen=True)
    audit.record(
        AuditEvent.INSPECTION_ROUND_CREATED,
        actor=actor,
        target=round_,
        parent=campaign,
        changes={
            "sheet": [None, str(sheet)],
            "sites": [None, len(sites)],
            "inspectors": [None, len(inspectors)],
        },
    )
    return round_


def _require_inspector(round_: InspectionRound, site: RoundSite, actor) -> None:
    if site.round_id != round_.pk:
        raise ValidationError({"site": [_("该点位不在本轮检查范围内")]})
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("本轮检查已结束，不能再打分"))
    if not round_.inspectors.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("您不是本轮检查人员"))
    town_path = site.village.town.town.path
    if actor.unit_id and actor.unit.region.path.startswith(town_path):
        raise PermissionDenied(_("检查人员不能为本人所在镇(街道)的点位打分"))


def _to_item(item: ScoreItem) -> scoring.Item:
    return scoring.Item(item.name, item.max_points, item.per_occurrence, item.cap, item.is_veto)


@transaction.atomic
def score_site(
    round_: InspectionRound, site: RoundSite, *, actor, deductions: list[dict], note: str = ""
) -> SiteScore:
    """Save (or replace) the draft score of a site: [{"item": ScoreItem, "count": n, "points": p?, "note": s}]."""
    _require_inspector(round_, site, actor)
    existing = SiteScore.objects.select_for_update().filter(site=site).first()
    if existing and existing.status == ScoreStatus.FINAL:
        raise ValidationError(_("该点位得分已提交，不能修改"))
    items = list(round_.sheet.items.all())
    by_pk = {i.pk: i for i in items}
    found: dict[str, tuple[int, Decimal | None]] = {}
    rows = []
    for entry in deductions:
        item = entry["item"]
        if by_pk.get(getattr(item, "pk", None)) is None:
            raise ValidationError({"item": [_("“%(item)s”不是本轮评分标准的项目") % {"item": item}]})
        count, points = entry.get("count") or 0, entry.get("points")
        points = to_decimal(points, "points", _("扣分"))
        off = scoring.item_deduction(_to_item(item), count, points)  # refuses bad input
        if item.name in found:
            raise ValidationError({"item": [_("“%(item)s”重复扣分") % {"item": item}]})
        found[item.name] = (count, points)
        if count or off:
            rows.append(Deduction(item=item, count=count, points=off, note=(entry.get("note") or "").strip()))
    total, vetoed = scoring.site_total([_to_item(i) for i in items], found)
    score = existing or SiteScore(site=site, inspector=actor)
    before = audit.snapshot(score, ["total", "vetoed", "note"]) if existing else {}
    score.inspector, score.total, score.vetoed, score.note = actor, total, vetoed, (note or "").strip()
    score.save()
    # Photos stay with their deduction: keep rows of items still found, drop the rest.
    kept = {d.item_id: d for d in Deduction.objects.filter(score=score)}
    for row in rows:
        old = kept.pop(row.item_id, None)
        if old:
            old.count, old.points, old.note = row.count, row.points, row.note
            old.save(update_fields=["count", "points", "note", "updated_at"])
        else:
            row.score = score
            row.save()
    Deduction.objects.filter(pk__in=[d.pk for d in kept.values()]).delete()
    audit.record(
        AuditEvent.SITE_SCORED,
        actor=actor,
        target=score,
        parent=round_,
        changes=audit.diff(before, audit.snapshot(score, ["total", "vetoed", "note"])),
    )
    return score


@transaction.atomic
def submit_score(score: SiteScore, *, actor) -> SiteScore:
    """Make a site's score final. Only its inspector, once."""
    score = SiteScore.objects.select_for_update().select_related("site__round").get(pk=score.pk)
    if score.status == ScoreStatus.FINAL:
        raise ValidationError(_("该点位得分已提交，不能再次提交"))
    if score.inspector_id != actor.pk:
        raise PermissionDenied(_("只有打分的检查人员可以提交"))
    _require_inspector(score.site.round, score.site, actor)
    score.status, score.submitted_at = ScoreStatus.FINAL, timezone.now()
    score.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(
        AuditEvent.SITE_SCORE_SUBMITTED,
        actor=actor,
        target=score,
        parent=score.site.round,
        changes={"status": [ScoreStatus.DRAFT, ScoreStatus.FINAL], "total": [None, score.total]},
    )
    return score


@transaction.atomic
def publish_ranking(round_: InspectionRound, *, actor) -> InspectionRound:
    """Publish the round's town ranking: the towns see it from now on."""
    require_office(actor, round_.campaign.county)
    if round_.ranking_published:
        raise ValidationError(_("本轮排名已公布"))
    round_.ranking_published = True
    round_.save(update_fields=["ranking_published", "updated_at"])
    audit.record(
        AuditEvent.INSPECTION_RANKING_PUBLISHED,
        actor=actor,
        target=round_,
        parent=round_.campaign,
        changes={"ranking_published": [False, True]},
    )
    return round_
