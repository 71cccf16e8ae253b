"""States, kinds and the allowed moves of the indicators module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorGroup(models.TextChoices):
    GROWTH = "growth", _("经济增长")
    INVESTMENT = "investment", _("投资")
    FISCAL = "fiscal", _("财政")
    INDUSTRY = "industry", _("工业")
    CONSUMPTION = "consumption", _("消费")
    OPENING = "opening", _("对外开放")
    LIVELIHOOD = "livelihood", _("民生")
    ECOLOGY = "ecology", _("生态")
    OTHER = "other", _("其他")


class IndicatorKind(models.TextChoices):
    ABSOLUTE = "absolute", _("绝对值")
    GROWTH_RATE = "growth_rate", _("同比增速")
    RATIO = "ratio", _("比率")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越大越好")
    LOWER = "lower", _("越小越好")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    HALF_YEAR = "half_year", _("半年")
    ANNUAL = "annual", _("年度")


class DataSource(models.TextChoices):
    STATISTICS = "statistics", _("统计部门")
    OWN_RECORDS = "own_records", _("部门自有统计")


class ValueSource(models.TextChoices):
    REPORTED = "reported", _("单位填报")
    BULLETIN = "bulletin", _("市统计公报")


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")
    VERIFIED = "verified", _("统计局已核")
    SUPERSEDED = "superseded", _("已更正")


# Locked states: the figure is official and only a correction (a new version) changes it.
LOCKED = frozenset({ValueStatus.APPROVED, ValueStatus.VERIFIED})
EDITABLE = frozenset({ValueStatus.DRAFT, ValueStatus.RETURNED})


class ValueAction(models.TextChoices):
    """One transition each; the API exposes them as POST .../{id}/<action>."""

    SUBMIT = "submit", _("提交审核")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("审核通过")
    VERIFY = "verify", _("统计局核定")
    CORRECT = "correct", _("申请更正")


# action -> (states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ValueAction.SUBMIT: (EDITABLE, ValueStatus.SUBMITTED),
    ValueAction.RETURN: (frozenset({ValueStatus.SUBMITTED}), ValueStatus.RETURNED),
    ValueAction.APPROVE: (frozenset({ValueStatus.SUBMITTED}), ValueStatus.APPROVED),
    ValueAction.VERIFY: (frozenset({ValueStatus.APPROVED}), ValueStatus.VERIFIED),
    ValueAction.CORRECT: (LOCKED, ValueStatus.DRAFT),  # opens a new version as a draft
}


class LookBackStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已总结")


class PlanStatus(models.TextChoices):
    PENDING = "pending", _("待提交计划")
    SUBMITTED = "submitted", _("已提交计划")
