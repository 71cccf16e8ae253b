"""Campaigns (专项行动), versioned score sheets, inspection rounds and site scores."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from .choices import (
    CampaignKind,
    CampaignStatus,
    GroupRole,
    RollUp,
    RoundKind,
    RoundStatus,
    ScoreStatus,
    SiteKind,
)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from duban.accounts import policy

        return policy.scope_queryset(self, user, action)


class Campaign(TimeStampedModel):
    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("专项行动名称"), max_length=100, validators=[validate_no_control_chars])
    kind = models.CharField(_("类型"), max_length=16, choices=CampaignKind.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_campaigns"
    )
    goals = models.TextField(_("工作目标"), blank=True)
    roll_up = models.CharField(
        _("镇街得分计算"), max_length=8, choices=RollUp.choices, default=RollUp.AVERAGE
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="campaign_period_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(TimeStampedModel):
    """A member of the campaign's leading group (领导小组)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="group"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("职务"), max_length=12, choices=GroupRole.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["campaign_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="campaign_member_once")]


class TimeNode(TimeStampedModel):
    """A dated milestone of the campaign. Locked at launch: moving it afterwards takes a leader and a reason."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="nodes"
    )
    name = models.CharField(_("时间节点"), max_length=100, validators=[validate_no_control_chars])
    due_date = models.DateField(_("完成时限"))
    locked = models.BooleanField(_("已锁定"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["campaign_id", "due_date", "id"]


class CampaignTown(TimeStampedModel):
    """A town (镇街) in the campaign's scope, with the town government answering for it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="towns"
    )
    town = models.ForeignKey(
        "org.Region", verbose_name=_("镇(街道)"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("参与镇街")
        verbose_name_plural = _("参与镇街")
        ordering = ["campaign_id", "town__sort_order", "town__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "town"], name="campaign_town_once")]

    def __str__(self) -> str:
        return str(self.town)


class CampaignVillage(TimeStampedModel):
    """A village in scope; its households weigh its scores when the campaign rolls up by size."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="villages"
    )
    town = models.ForeignKey(
        CampaignTown, verbose_name=_("镇(街道)"), on_delete=models.CASCADE, related_name="villages"
    )
    village = models.ForeignKey(
        "org.Region", verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+"
    )
    households = models.PositiveIntegerField(
        _("户数"), default=1, validators=[MinValueValidator(1, message=_("户数须大于0"))]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("参与村庄")
        verbose_name_plural = _("参与村庄")
        ordering = ["town_id", "village__sort_order", "village__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "village"], name="campaign_village_once"),
            models.CheckConstraint(
                condition=Q(households__gte=1), name="campaign_village_households_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


class ScoreSheet(TimeStampedModel):
    """One version of a campaign's scoring standard. Frozen once a round uses it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="sheets"
    )
    name = models.CharField(_("评分标准"), max_length=100, validators=[validate_no_control_chars])
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    frozen = models.BooleanField(_("已启用(不可修改)"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["campaign_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="score_sheet_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ScoreItem(TimeStampedModel):
    """An item of a sheet: "each pile of exposed rubbish −1, up to −5"; a veto item zeroes the score."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("评分标准"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("类别"), max_length=32, validators=[validate_no_control_chars])
    name = models.CharField(_("评分项目"), max_length=200, validators=[validate_no_control_chars])
    max_points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2, default=Decimal(0))
    per_occurrence = models.DecimalField(_("每处扣分"), max_digits=7, decimal_places=2, default=Decimal(0))
    cap = models.DecimalField(_("扣分上限"), max_digits=7, decimal_places=2, null=True, blank=True)
    is_veto = models.BooleanField(_("一票否决"), default=False)
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["sheet_id", "sequence", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=0) & Q(per_occurrence__gte=0),
                name="score_item_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | (Q(cap__gte=0) & Q(cap__lte=F("max_points"))),
                name="score_item_cap_within_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InspectionRound(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="rounds"
    )
    # PROTECT: a round always keeps the sheet version it was scored with.
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("评分标准"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("检查轮次"), max_length=100, validators=[validate_no_control_chars])
    kind = models.CharField(_("检查方式"), max_length=12, choices=RoundKind.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    ranking_published = models.BooleanField(_("排名已公布"), default=False)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="inspection_rounds", blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查轮次")
        verbose_name_plural = _("检查轮次")
        ordering = ["campaign_id", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="round_period_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoundSite(TimeStampedModel):
    """A site to score in a round: a village, a road section or a showcase site within a village."""

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("检查轮次"), on_delete=models.CASCADE, related_name="sites"
    )
    village = models.ForeignKey(
        CampaignVillage, verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="round_sites"
    )
    kind = models.CharField(_("点位类型"), max_length=10, choices=SiteKind.choices, default=SiteKind.VILLAGE)
    label = models.CharField(
        _("点位名称"), max_length=100, blank=True, validators=[validate_no_control_chars]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查点位")
        verbose_name_plural = _("检查点位")
        ordering = ["round_id", "village__town_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "village", "kind", "label"], name="round_site_once")
        ]

    def __str__(self) -> str:
        return self.label or str(self.village)


class SiteScore(TimeStampedModel):
    """An inspector's score of one site; final (and unchangeable) once submitted."""

    site = models.OneToOneField(
        RoundSite, verbose_name=_("检查点位"), on_delete=models.CASCADE, related_name="score"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=8, choices=ScoreStatus.choices, default=ScoreStatus.DRAFT)
    total = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, default=Decimal(0))
    vetoed = models.BooleanField(_("一票否决"), default=False)
    note = models.TextField(_("检查记录"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("点位得分")
        verbose_name_plural = _("点位得分")
        ordering = ["site_id"]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="site_score_not_negative")]

    def __str__(self) -> str:
        return f"{self.site}：{self.total}"


class Deduction(TimeStampedModel):
    """Points taken off one item of a site's score, with the count found, a note and photos."""

    score = models.ForeignKey(
        SiteScore, verbose_name=_("点位得分"), on_delete=models.CASCADE, related_name="deductions"
    )
    item = models.ForeignKey(
        ScoreItem, verbose_name=_("评分项目"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("问题处数"), default=0)
    points = models.DecimalField(_("扣分"), max_digits=7, decimal_places=2, default=Decimal(0))
    note = models.CharField(_("问题描述"), max_length=300, blank=True, validators=[validate_no_control_chars])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        ordering = ["score_id", "item__sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["score", "item"], name="deduction_once_per_item"),
            models.CheckConstraint(condition=Q(points__gte=0), name="deduction_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item}：-{self.points}"


from .models_quantity import QuantityPlan, QuantityReport, WorkItem  # noqa: E402
from .models_rectification import Rectification  # noqa: E402  (one registry of models for the app)
from .models_sanction import Sanction, SanctionList, SanctionRule  # noqa: E402

__all__ = [
    "Campaign",
    "CampaignTown",
    "CampaignVillage",
    "Deduction",
    "GroupMember",
    "InspectionRound",
    "QuantityPlan",
    "QuantityReport",
    "Rectification",
    "RoundSite",
    "Sanction",
    "SanctionList",
    "SanctionRule",
    "ScoreItem",
    "ScoreSheet",
    "SiteScore",
    "TimeNode",
    "WorkItem",
]
