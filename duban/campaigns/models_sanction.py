"""Rewards and penalties (兑现奖惩): rules per campaign, a proposed list per round, approved, published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from .choices import SanctionKind, SanctionListStatus, SanctionTrigger
from .models import Campaign, CampaignTown, InspectionRound, ScopedQuerySet


class SanctionRule(TimeStampedModel):
    """E.g. places 1–3 commended with 50,000 yuan; the last place criticised; two reds in a row a penalty."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="sanction_rules"
    )
    trigger = models.CharField(_("触发条件"), max_length=12, choices=SanctionTrigger.choices)
    kind = models.CharField(_("奖惩方式"), max_length=10, choices=SanctionKind.choices)
    rank_from = models.PositiveSmallIntegerField(_("名次自"), default=1)
    rank_to = models.PositiveSmallIntegerField(_("名次至"), default=1)
    red_below = models.DecimalField(_("红灯分数线"), max_digits=7, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2, default=Decimal(0))
    text = models.CharField(_("奖惩内容"), max_length=100)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖惩规则")
        verbose_name_plural = _("奖惩规则")
        ordering = ["campaign_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="sanction_rule_amount_not_negative")
        ]


class SanctionList(TimeStampedModel):
    round = models.OneToOneField(
        InspectionRound, verbose_name=_("检查轮次"), on_delete=models.CASCADE, related_name="sanction_list"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SanctionListStatus.choices, default=SanctionListStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖惩名单")
        verbose_name_plural = _("奖惩名单")

    def __str__(self) -> str:
        return _("%(round)s奖惩名单") % {"round": self.round}


class Sanction(TimeStampedModel):
    sanction_list = models.ForeignKey(
        SanctionList, verbose_name=_("奖惩名单"), on_delete=models.CASCADE, related_name="sanctions"
    )
    town = models.ForeignKey(
        CampaignTown, verbose_name=_("镇(街道)"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("奖惩方式"), max_length=10, choices=SanctionKind.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2, default=Decimal(0))
    reason = models.CharField(_("依据"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    proposed = models.BooleanField(_("系统拟定"), default=True)
    adjustment = models.CharField(_("调整理由"), max_length=300, blank=True)
    withdrawn = models.BooleanField(_("已撤销"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖惩")
        verbose_name_plural = _("奖惩")
        ordering = ["sanction_list_id", "kind", "rank", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="sanction_amount_not_negative")
        ]
