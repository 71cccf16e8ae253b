"""Investment attraction: pairings, leads and their stage moves, follow-ups, duplicate claims, targets.

Every table is scoped by `county` (a Region of level county), so the policy is one prefix
filter on `county__path` plus the unit rules (see `duban/accounts/policy/`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.accounts.validators import validate_multiline_text, validate_phone, validate_plain_text
from duban.core.models import TimeStampedModel

from .choices import (
    ClaimStatus,
    CountMode,
    FollowUpKind,
    Industry,
    SourceType,
    Stage,
    TargetBasis,
)
from .identity import validate_credit_code

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from duban.accounts import policy

        return policy.scope_queryset(self, user, action)


class Pairing(TimeStampedModel):
    """联系包保: a department helps one town or park win investment in a year."""

    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="investment_pairings"
    )
    partner = models.ForeignKey(
        "org.Unit",
        verbose_name=_("联系镇街园区"),
        on_delete=models.PROTECT,
        related_name="paired_departments",
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True, validators=[validate_plain_text])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系包保")
        verbose_name_plural = _("联系包保")
        ordering = ["-year", "department__sort_order", "department__name", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "partner"],
                name="pairing_unique_per_year",
                violation_error_message=_("该部门本年度已联系包保这个镇街园区"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department} → {self.partner}"


class Lead(TimeStampedModel):
    """项目线索: an investor's prospective project followed by a unit from first news to production."""

    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="+"
    )
    registered_on = models.DateField(_("登记日期"), default=datetime.date.today)
    # The investor
    company_name = models.CharField(_("投资方名称"), max_length=100, validators=[validate_plain_text])
    normalised_name = models.CharField(_("规范化名称"), max_length=100, editable=False, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code], db_index=True
    )
    origin = models.CharField(_("投资方来源地"), max_length=64, blank=True, validators=[validate_plain_text])
    industry = models.CharField(_("产业类别"), max_length=20, choices=Industry.choices)
    contact_person = models.CharField(
        _("联系人"), max_length=32, blank=True, validators=[validate_plain_text]
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    # The project
    project_name = models.CharField(_("项目名称"), max_length=100, validators=[validate_plain_text])
    content = models.TextField(
        _("建设内容"), blank=True, max_length=2000, validators=[validate_multiline_text]
    )
    planned_investment = models.DecimalField(_("计划投资（万元）"), validators=NON_NEGATIVE, **MONEY)
    external_investment = models.DecimalField(
        _("其中省外/外资（万元）"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    is_expansion = models.BooleanField(_("增资扩产项目"), default=False)
    added_investment = models.DecimalField(
        _("新增投资（万元）"),
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("增资扩产项目只计新增部分"),
        **MONEY,
    )
    intended_location = models.ForeignKey(
        "org.Unit", verbose_name=_("拟落地镇街园区"), on_delete=models.PROTECT, related_name="located_leads"
    )
    source_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("引进单位"), on_delete=models.PROTECT, related_name="source_leads"
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_leads",
    )
    source_type = models.CharField(_("招商方式"), max_length=16, choices=SourceType.choices)
    introducer = models.CharField(_("引荐人"), max_length=64, blank=True, validators=[validate_plain_text])
    expected_sign_on = models.DateField(_("预计签约日期"), null=True, blank=True)
    negotiation_notes = models.TextField(
        _("洽谈情况"), blank=True, max_length=4000, validators=[validate_multiline_text]
    )
    # The pipeline (changed only by the stage-move services)
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.INFORMATION)
    stage_before_shelving = models.CharField(max_length=16, choices=Stage.choices, blank=True, editable=False)
    closed_reason = models.CharField(_("搁置/流失原因"), max_length=500, blank=True)
    contacted_on = models.DateField(_("接洽日期"), null=True, blank=True)
    visited_on = models.DateField(_("考察日期"), null=True, blank=True)
    negotiating_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    landed_on = models.DateField(_("落地注册日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    # The contract (set at signing)
    contract_date = models.DateField(_("合同签订日期"), null=True, blank=True)
    contract_amount = models.DecimalField(
        _("合同金额（万元）"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    contract_parties = models.CharField(
        _("签约各方"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    funds_in_place = models.DecimalField(
        _("到位资金（万元）"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    # Counting
    count_mode = models.CharField(
        _("统计口径"), max_length=8, choices=CountMode.choices, default=CountMode.FULL, editable=False
    )
    last_activity_on = models.DateField(_("最近跟进日期"), editable=False)
    # Seam for the key-project register (duban.projects): the id of the Project this lead
    # became at construction start. A plain integer until that app has landed; then an FK.
    key_project_id = models.PositiveBigIntegerField(_("转入重点项目"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Contract scans and registration papers are as secret as the contacts (policy._attachment_rule).
    ATTACHMENT_READ_ACTION = "confidential"

    class Meta:
        verbose_name = _("项目线索")
        verbose_name_plural = _("项目线索")
        ordering = ["-registered_on", "-pk"]
        indexes = [
            models.Index(fields=["county", "stage"], name="lead_county_stage"),
            models.Index(fields=["source_unit", "registered_on"], name="lead_source_registered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(external_investment__lte=models.F("planned_investment")),
                name="lead_external_within_planned",
                violation_error_message=_("其中省外/外资不能大于计划投资"),
            ),
        ]

    def __str__(self) -> str:
        return self.project_name

    @property
    def counted_amount(self) -> Decimal | None:
        """What a signing adds to the figures: an expansion counts only its added investment."""
        if self.is_expansion:
            return self.added_investment
        return self.contract_amount


class StageMove(models.Model):
    """One move of a lead along (or back along, or out of) the pipeline: date, evidence, who, why."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="moves")
    action = models.CharField(_("操作"), max_length=16)
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    date = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    evidence_note = models.CharField(_("证明材料说明"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.from_stage} → {self.to_stage}"


class FollowUp(models.Model):
    """跟进记录: a call, visit, meeting or negotiation round, with the next step."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=16, choices=FollowUpKind.choices)
    notes = models.TextField(_("情况"), max_length=2000, validators=[validate_multiline_text])
    next_step = models.CharField(_("下一步"), max_length=200, blank=True, validators=[validate_plain_text])
    next_contact_on = models.DateField(_("下次联系日期"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class DuplicateClaim(TimeStampedModel):
    """Two leads of different units that look like the same investor: the office settles it."""

    county = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("相似度"), max_digits=5, decimal_places=1)
    basis = models.CharField(_("依据"), max_length=100)
    status = models.CharField(_("状态"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.OPEN)
    owner = models.ForeignKey(
        Lead, verbose_name=_("认定归属"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_credit = models.BooleanField(_("共享成绩"), default=False)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    note = models.CharField(_("裁定说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("重复认领")
        verbose_name_plural = _("重复认领")
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_claim_unique_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="duplicate_claim_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first} / {self.second}"


class InvestmentTarget(TimeStampedModel):
    """A unit's yearly targets: by the leads it brings (departments) or that land in it (towns, parks)."""

    county = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="investment_targets"
    )
    basis = models.CharField(
        _("口径"), max_length=10, choices=TargetBasis.choices, default=TargetBasis.SOURCE
    )
    leads = models.PositiveIntegerField(_("线索数"), default=0)
    signed_projects = models.PositiveIntegerField(_("签约项目数"), default=0)
    signed_amount = models.DecimalField(
        _("签约金额（万元）"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    landed_projects = models.PositiveIntegerField(_("落地项目数"), default=0)
    funds_in_place = models.DecimalField(
        _("到位资金（万元）"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商目标")
        verbose_name_plural = _("招商目标")
        ordering = ["-year", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "basis"], name="investment_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}"
