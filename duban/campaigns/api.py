"""Campaigns API: /campaigns (with quantities), /inspections (rounds, site scores), /rectifications
(with transitions), /sanctions. Lists are {"count", "items"} with ?page=&page_size=."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from duban.accounts import policy
from duban.org.api import ERRORS, _paged

from . import queries
from .models import (
    Campaign,
    CampaignVillage,
    Deduction,
    InspectionRound,
    Rectification,
    RoundSite,
    SanctionList,
    ScoreItem,
    SiteScore,
    WorkItem,
)
from .services import inspections, quantities, rectifications, sanctions

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    start_date: datetime.date
    end_date: datetime.date
    lead_unit_id: int
    goals: str
    roll_up: str


class CampaignList(Schema):
    count: int
    items: list[CampaignOut]


class TownRankOut(Schema):
    town_id: int
    town: str
    score: Decimal
    rank: int
    sites: int


class CampaignDetail(CampaignOut):
    ranking: list[TownRankOut]


class ProgressOut(Schema):
    work_item_id: int
    work_item: str
    unit_label: str
    town_id: int
    town: str
    planned: Decimal
    done: Decimal
    percent: Decimal
    rank: int
    light: str
    light_reason: str


class QuantityIn(Schema):
    work_item: int
    village: int
    period_end: datetime.date
    quantity: Decimal
    confirm_over_plan: bool = False
    note: str = ""


class QuantityOut(Schema):
    id: int
    work_item_id: int
    village_id: int
    period_end: datetime.date
    quantity: Decimal
    over_plan_confirmed: bool


class RoundOut(Schema):
    id: int
    campaign_id: int
    name: str
    kind: str
    status: str
    start_date: datetime.date
    end_date: datetime.date
    sheet_id: int
    ranking_published: bool


class RoundList(Schema):
    count: int
    items: list[RoundOut]


class DeductionOut(Schema):
    id: int
    item_id: int
    count: int
    points: Decimal
    note: str


class ScoreOut(Schema):
    id: int
    site_id: int
    status: str
    total: Decimal
    vetoed: bool
    note: str
    deductions: list[DeductionOut]

    @staticmethod
    def resolve_deductions(obj) -> list:
        return list(obj.deductions.all())


class SiteOut(Schema):
    id: int
    village_id: int
    village: str
    town_id: int
    kind: str
    label: str


class RoundDetail(RoundOut):
    ranking: list[TownRankOut]
    sites: list[SiteOut]


class DeductionIn(Schema):
    item: int
    count: int = 0
    points: Decimal | None = None
    note: str = ""


class ScoreIn(Schema):
    deductions: list[DeductionIn] = []
    note: str = ""


class RectificationOut(Schema):
    id: int
    campaign_id: int
    town_id: int
    deduction_id: int
    requirement: str
    status: str
    issued_on: datetime.date
    due_date: datetime.date
    answer: str
    verdict: str


class RectificationList(Schema):
    count: int
    items: list[RectificationOut]


class RectificationIn(Schema):
    deduction: int
    requirement: str
    working_days: int = 5


class MoveIn(Schema):
    text: str = ""


class SanctionOut(Schema):
    id: int
    town_id: int
    kind: str
    amount: Decimal
    reason: str
    rank: int | None
    score: Decimal | None
    proposed: bool
    adjustment: str
    withdrawn: bool


class SanctionListOut(Schema):
    id: int
    round_id: int
    status: str
    sanctions: list[SanctionOut]

    @staticmethod
    def resolve_sanctions(obj) -> list:
        return list(obj.sanctions.all())


class SanctionListPage(Schema):
    count: int
    items: list[SanctionListOut]


def _ranks(rows) -> list[dict]:
    return [
        {"town_id": r.town.pk, "town": r.town.town.name, "score": r.score, "rank": r.rank, "sites": r.sites}
        for r in rows
    ]


@router.get("/campaigns", response=CampaignList, summary="专项行动列表")
def list_campaigns(request):
    return _paged(request, Campaign.objects.visible_to(request.user).order_by("-start_date", "id"))


@router.get(
    "/campaigns/{campaign_id}", response={200: CampaignDetail, **ERRORS}, summary="专项行动详情与累计排名"
)
def get_campaign(request, campaign_id: int):
    campaign = policy.get_object_for_user_or_404(
        request.user, Campaign.objects.visible_to(request.user), campaign_id
    )
    rounds = InspectionRound.objects.visible_to(request.user).filter(campaign=campaign)
    campaign.ranking = _ranks(queries.cumulative_ranking(campaign, rounds))
    return campaign


@router.get(
    "/campaigns/{campaign_id}/quantities",
    response={200: list[ProgressOut], **ERRORS},
    summary="工作量完成情况",
)
def get_quantities(request, campaign_id: int):
    campaign = policy.get_object_for_user_or_404(
        request.user, Campaign.objects.visible_to(request.user), campaign_id
    )
    out = []
    for item, rows in queries.quantity_board(campaign, timezone.localdate()):
        for r, light in rows:
            out.append(
                {
                    "work_item_id": item.pk,
                    "work_item": item.name,
                    "unit_label": item.unit_label,
                    "town_id": r.town.pk,
                    "town": r.town.town.name,
                    "planned": r.planned,
                    "done": r.done,
                    "percent": r.percent,
                    "rank": r.rank,
                    "light": light.colour,
                    "light_reason": str(light.reason),
                }
            )
    return out


@router.post(
    "/campaigns/{campaign_id}/quantities", response={201: QuantityOut, **ERRORS}, summary="填报完成工作量"
)
def post_quantity(request, campaign_id: int, payload: QuantityIn):
    campaign = policy.get_object_for_user_or_404(
        request.user, Campaign.objects.visible_to(request.user), campaign_id
    )
    item = policy.get_object_for_user_or_404(
        request.user, WorkItem.objects.visible_to(request.user).filter(campaign=campaign), payload.work_item
    )
    village = policy.get_object_for_user_or_404(
        request.user,
        CampaignVillage.objects.visible_to(request.user).select_related("town", "campaign__county"),
        payload.village,
    )
    report = quantities.report_quantity(
        item,
        village,
        actor=request.user,
        period_end=payload.period_end,
        quantity=payload.quantity,
        confirm_over_plan=payload.confirm_over_plan,
        note=payload.note,
    )
    return Status(201, report)


@router.get("/inspections", response=RoundList, summary="检查轮次列表")
def list_rounds(request, campaign: int | None = None):
    qs = InspectionRound.objects.visible_to(request.user).order_by("-start_date", "-id")
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    return _paged(request, qs)


def _round(request, round_id: int) -> InspectionRound:
    return policy.get_object_for_user_or_404(
        request.user,
        InspectionRound.objects.visible_to(request.user).select_related("campaign__county", "sheet"),
        round_id,
    )


@router.get(
    "/inspections/{round_id}", response={200: RoundDetail, **ERRORS}, summary="检查轮次详情、排名与点位"
)
def get_round(request, round_id: int):
    round_ = _round(request, round_id)
    sites = RoundSite.objects.visible_to(request.user).filter(round=round_).select_related("village__village")
    fields = [
        "id",
        "campaign_id",
        "name",
        "kind",
        "status",
        "start_date",
        "end_date",
        "sheet_id",
        "ranking_published",
    ]
    out = {f: getattr(round_, f) for f in fields}
    out["ranking"] = _ranks(queries.round_ranking(round_))
    out["sites"] = [
        {
            "id": s.pk,
            "village_id": s.village_id,
            "village": s.village.village.name,
            "town_id": s.village.town_id,
            "kind": s.kind,
            "label": s.label,
        }
        for s in sites
    ]
    return out


@router.get("/inspections/{round_id}/scores", response={200: list[ScoreOut], **ERRORS}, summary="点位得分")
def list_scores(request, round_id: int):
    round_ = _round(request, round_id)
    return list(
        SiteScore.objects.visible_to(request.user).filter(site__round=round_).prefetch_related("deductions")
    )


def _site(request, site_id: int) -> RoundSite:
    return policy.get_object_for_user_or_404(
        request.user,
        RoundSite.objects.visible_to(request.user).select_related("village__town__town"),
        site_id,
    )


@router.post(
    "/inspections/{round_id}/sites/{site_id}/score",
    response={200: ScoreOut, **ERRORS},
    summary="点位打分(草稿)",
)
def post_score(request, round_id: int, site_id: int, payload: ScoreIn):
    round_, site = _round(request, round_id), _site(request, site_id)
    items = {i.pk: i for i in ScoreItem.objects.visible_to(request.user).filter(sheet=round_.sheet)}
    deductions = []
    for d in payload.deductions:
        if d.item not in items:
            raise ValidationError({"item": [_("评分项目%(id)s不属于本轮评分标准") % {"id": d.item}]})
        deductions.append({"item": items[d.item], "count": d.count, "points": d.points, "note": d.note})
    return inspections.score_site(round_, site, actor=request.user, deductions=deductions, note=payload.note)


@router.post(
    "/inspections/{round_id}/sites/{site_id}/submit",
    response={200: ScoreOut, **ERRORS},
    summary="提交点位得分",
)
def post_submit(request, round_id: int, site_id: int):
    round_, site = _round(request, round_id), _site(request, site_id)
    score = SiteScore.objects.visible_to(request.user).filter(site=site, site__round=round_).first()
    if score is None:
        raise ValidationError(_("该点位还没有打分"))
    return inspections.submit_score(score, actor=request.user)


@router.get("/rectifications", response=RectificationList, summary="整改通知列表")
def list_rectifications(request, status: str | None = None, campaign: int | None = None):
    qs = Rectification.objects.visible_to(request.user).order_by("due_date", "id")
    if status:
        qs = qs.filter(status=status)
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    return _paged(request, qs)


@router.get(
    "/rectifications/{rectification_id}", response={200: RectificationOut, **ERRORS}, summary="整改通知详情"
)
def get_rectification(request, rectification_id: int):
    return policy.get_object_for_user_or_404(
        request.user, Rectification.objects.visible_to(request.user), rectification_id
    )


@router.post("/rectifications", response={201: RectificationOut, **ERRORS}, summary="下达整改通知")
def post_rectification(request, payload: RectificationIn):
    deduction = policy.get_object_for_user_or_404(
        request.user, Deduction.objects.visible_to(request.user), payload.deduction
    )
    order = rectifications.issue_rectification(
        deduction, actor=request.user, requirement=payload.requirement, working_days=payload.working_days
    )
    return Status(201, order)


@router.post(
    "/rectifications/{rectification_id}/{move}",
    response={200: RectificationOut, **ERRORS},
    summary="整改反馈、销号、退回",
)
def post_rectification_move(request, rectification_id: int, move: str, payload: MoveIn):
    order = policy.get_object_for_user_or_404(
        request.user,
        Rectification.objects.visible_to(request.user).select_related("campaign__county", "town"),
        rectification_id,
    )
    if move == "answer":
        return rectifications.answer_rectification(order, actor=request.user, answer=payload.text)
    if move == "close":
        return rectifications.close_rectification(order, actor=request.user, verdict=payload.text)
    if move == "return":
        return rectifications.return_rectification(order, actor=request.user, verdict=payload.text)
    raise PermissionDenied(_("不支持的操作"))


@router.get("/sanctions", response=SanctionListPage, summary="奖惩名单")
def list_sanctions(request):
    qs = SanctionList.objects.visible_to(request.user).prefetch_related("sanctions").order_by("-id")
    return _paged(request, qs)


@router.post(
    "/inspections/{round_id}/sanctions/{move}",
    response={200: SanctionListOut, **ERRORS},
    summary="拟定、审定、公布奖惩名单",
)
def post_sanctions(request, round_id: int, move: str):
    round_ = _round(request, round_id)
    if move == "propose":
        return sanctions.propose_sanctions(round_, actor=request.user)
    current = SanctionList.objects.visible_to(request.user).filter(round=round_).first()
    if current is None:
        raise ValidationError(_("请先拟定奖惩名单"))
    if move == "approve":
        return sanctions.approve_sanctions(current, actor=request.user)
    if move == "publish":
        return sanctions.publish_sanctions(current, actor=request.user)
    raise PermissionDenied(_("不支持的操作"))
