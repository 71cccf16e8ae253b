"""States and kinds of campaigns, score sheets and inspection rounds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    ENVIRONMENT = "environment", _("农村人居环境整治")
    ROADS = "roads", _("村内通道路硬化")
    OTHER = "other", _("其他专项行动")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    OFFICE_HEAD = "office_head", _("办公室主任")
    MEMBER = "member", _("成员")


class RollUp(models.TextChoices):
    """How site scores become a town's score (docs/campaigns.md, "Roll-up")."""

    AVERAGE = "average", _("算术平均")
    WEIGHTED = "weighted", _("按村规模(户数)加权")


class RoundKind(models.TextChoices):
    SCHEDULED = "scheduled", _("定期检查")
    UNANNOUNCED = "unannounced", _("暗访")
    CROSS_CHECK = "cross_check", _("交叉互查")
    CITY_CHECK = "city_check", _("市级检查")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("检查中")
    CLOSED = "closed", _("已结束")


class SiteKind(models.TextChoices):
    VILLAGE = "village", _("村庄")
    ROAD = "road", _("道路路段")
    SHOWCASE = "showcase", _("示范点")


class ScoreStatus(models.TextChoices):
    DRAFT = "draft", _("打分中")
    FINAL = "final", _("已提交")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已反馈待核验")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已销号")


# The allowed moves of a rectification order: one service each (services/rectifications.py).
RECTIFICATION_MOVES = {
    "answer": ({RectificationStatus.OPEN, RectificationStatus.RETURNED}, RectificationStatus.ANSWERED),
    "close": ({RectificationStatus.ANSWERED}, RectificationStatus.CLOSED),
    "return": ({RectificationStatus.ANSWERED}, RectificationStatus.RETURNED),
}


class Measure(models.TextChoices):
    ROAD_KM = "road_km", _("道路硬化（公里）")
    VILLAGES_CLEANED = "villages_cleaned", _("村庄清洁（个）")
    TOILETS = "toilets", _("户厕改造（户）")
    RUBBISH_POINTS = "rubbish_points", _("垃圾点清除（处）")
    OTHER = "other", _("其他")


class SanctionKind(models.TextChoices):
    COMMEND = "commend", _("通报表扬")
    CRITICISE = "criticise", _("通报批评")
    PENALTY = "penalty", _("处罚")


class SanctionTrigger(models.TextChoices):
    TOP_PLACES = "top_places", _("名次靠前")
    LAST_PLACE = "last_place", _("末位")
    TWO_REDS = "two_reds", _("连续两轮红灯")


class SanctionListStatus(models.TextChoices):
    DRAFT = "draft", _("拟定中")
    APPROVED = "approved", _("领导已审定")
    PUBLISHED = "published", _("已公布")
