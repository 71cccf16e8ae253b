"""Assessment indicators, their targets and the figures reported for each county and period."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_code, validate_no_control_chars

from .choices import (
    DataSource,
    Direction,
    Frequency,
    IndicatorGroup,
    IndicatorKind,
    LookBackStatus,
    PlanStatus,
    ValueSource,
    ValueStatus,
)
from .periods import Period

# Figures: at most 15 significant digits, 4 of them after the point (亿元 to the 万元).
FIGURE: dict[str, Any] = {"max_digits": 15, "decimal_places": 4}


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from duban.accounts import policy

        return policy.scope_queryset(self, user, action)


class Indicator(TimeStampedModel):
    """A figure a unit owns and reports upward, ranked among the city's counties."""

    code = models.CharField(_("指标代码"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("指标名称"), max_length=64, validators=[validate_no_control_chars])
    group = models.CharField(_("指标类别"), max_length=16, choices=IndicatorGroup.choices)
    unit_of_measure = models.CharField(_("计量单位"), max_length=16, validators=[validate_no_control_chars])
    kind = models.CharField(_("指标类型"), max_length=16, choices=IndicatorKind.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    frequency = models.CharField(_("报送频率"), max_length=16, choices=Frequency.choices)
    cumulative = models.BooleanField(_("累计值"), default=False, help_text=_("按年初至今累计报送"))
    county = models.ForeignKey(
        "org.Region", verbose_name=_("所属县(区)"), on_delete=models.PROTECT, related_name="indicators"
    )
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="indicators"
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("配合单位"), blank=True, related_name="cooperating_indicators"
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators_in_charge",
    )
    weight = models.DecimalField(_("考核权重(分)"), max_digits=7, decimal_places=2, default=Decimal(0))
    data_source = models.CharField(_("数据来源"), max_length=16, choices=DataSource.choices)
    due_working_day = models.PositiveSmallIntegerField(
        _("次月第几个工作日前报送"), default=5, help_text=_("按工作日历计算")
    )
    min_value = models.DecimalField(_("合理下限"), null=True, blank=True, **FIGURE)
    max_value = models.DecimalField(_("合理上限"), null=True, blank=True, **FIGURE)
    jump_band = models.DecimalField(
        _("波动幅度阈值(%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("超过此幅度须说明原因；空为系统默认"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_range_ordered",
                violation_error_message=_("合理下限不能大于上限"),
            ),
            models.CheckConstraint(
                condition=Q(due_working_day__gte=1, due_working_day__lte=20), name="indicator_due_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_last_year(self) -> bool:
        """A growth rate is reported with the same period last year, so the rate can be checked."""
        return self.kind == IndicatorKind.GROWTH_RATE

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    def period(self, key: int) -> Period:
        return Period.from_key(key, self.frequency)


class AnnualTarget(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("年度目标"), **FIGURE)
    target_place = models.PositiveSmallIntegerField(
        _("目标位次"), null=True, blank=True, help_text=_("本县在全市争取的位次")
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year")]


class PeriodPlan(TimeStampedModel):
    """A period's plan value entered by hand; without one the plan follows time progress."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="period_plans")
    period = models.PositiveIntegerField(_("期别"))
    value = models.DecimalField(_("计划值"), **FIGURE)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("分期计划")
        verbose_name_plural = _("分期计划")
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="plan_unique_period")]


class IndicatorValue(TimeStampedModel):
    """One version of a county's figure for one period.

    The latest version is `is_current` (it moves through the workflow); the version ranked and
    shown on the board is `is_official` (approved or verified). A correction adds a version, so
    until it is approved the previous official figure stays in force.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="indicator_values"
    )
    period = models.PositiveIntegerField(_("期别"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    value = models.DecimalField(_("本期值"), **FIGURE)
    last_year_value = models.DecimalField(_("上年同期值"), null=True, blank=True, **FIGURE)
    explanation = models.TextField(_("情况说明"), blank=True, max_length=2000)
    status = models.CharField(
        _("状态"), max_length=16, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=ValueSource.choices, default=ValueSource.REPORTED
    )
    is_current = models.BooleanField(_("最新版本"), default=True)
    is_official = models.BooleanField(_("正式数据"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("核定时间"), null=True, blank=True)
    reason = models.CharField(_("更正或退回原因"), max_length=500, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标数值")
        verbose_name_plural = _("指标数值")
        ordering = ["indicator", "county", "period", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "county", "period", "version"], name="value_unique_version"
            ),
            models.UniqueConstraint(
                fields=["indicator", "county", "period"],
                condition=Q(is_current=True),
                name="value_one_current",
            ),
            models.UniqueConstraint(
                fields=["indicator", "county", "period"],
                condition=Q(is_official=True),
                name="value_one_official",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period", "is_official"], name="value_rank_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.period_obj.label} v{self.version}"

    @property
    def period_obj(self) -> Period:
        return self.indicator.period(self.period)


class LookBack(TimeStampedModel):
    """A look-back drive (回头看) over lagging indicators, launched by the supervision office."""

    county = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="look_backs")
    title = models.CharField(_("名称"), max_length=100, validators=[validate_no_control_chars])
    note = models.TextField(_("工作要求"), blank=True, max_length=2000)
    status = models.CharField(
        _("状态"), max_length=16, choices=LookBackStatus.choices, default=LookBackStatus.OPEN
    )
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("总结"), blank=True, max_length=5000)
    closed_at = models.DateTimeField(_("总结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class LookBackItem(TimeStampedModel):
    """One lagging indicator in a look-back and the owning unit's plan to make up the shortfall."""

    look_back = models.ForeignKey(LookBack, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="look_back_items")
    start_period = models.PositiveIntegerField(_("起始期别"))
    start_place = models.PositiveSmallIntegerField(_("起始位次"), null=True)
    start_value = models.DecimalField(_("起始数值"), null=True, **FIGURE)
    plan_status = models.CharField(
        _("计划状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PENDING
    )
    causes = models.TextField(_("原因分析"), blank=True, max_length=2000)
    measures = models.TextField(_("整改措施"), blank=True, max_length=2000)
    responsible_person = models.CharField(
        _("责任人"), max_length=32, blank=True, validators=[validate_no_control_chars]
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    expected_value = models.DecimalField(_("预期达到数值"), null=True, blank=True, **FIGURE)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看指标")
        verbose_name_plural = _("回头看指标")
        ordering = ["look_back", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["look_back", "indicator"], name="look_back_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.look_back.title}：{self.indicator.name}"
