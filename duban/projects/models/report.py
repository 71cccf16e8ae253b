"""Periodic progress reports of a project by its lead unit (weekly or monthly), approved and locked."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from ..choices import ReportFrequency, ReportStatus
from .base import ScopedQuerySet


class ProgressReport(TimeStampedModel):
    """One version of a period's report. A correction after approval is a new version; the old
    one is kept (`is_current` False)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    frequency = models.CharField(_("报送周期"), max_length=8, choices=ReportFrequency.choices)
    period_start = models.DateField(_("报告期起"))
    period_end = models.DateField(_("报告期止"))
    due_date = models.DateField(_("报送时限"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行版本"), default=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, editable=False
    )
    progress = models.TextField(_("工作进展"), max_length=4000)
    investment = models.DecimalField(
        _("本期完成投资(万元)"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("金额不能为负数"))],
    )
    image_progress = models.PositiveSmallIntegerField(
        _("形象进度(%)"),
        validators=[
            MinValueValidator(0, message=_("形象进度须在0到100之间")),
            MaxValueValidator(100, message=_("形象进度须在0到100之间")),
        ],
    )
    problems = models.TextField(_("存在问题"), blank=True, max_length=2000)
    late = models.BooleanField(_("逾期报送"), default=False, editable=False)
    correction_reason = models.CharField(_("更正理由"), max_length=300, blank=True)
    return_note = models.CharField(_("退回意见"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目进展报告")
        verbose_name_plural = _("项目进展报告")
        ordering = ["project_id", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start", "version"], name="report_version_once"
            ),
            models.UniqueConstraint(
                fields=["project", "period_start"],
                condition=Q(is_current=True),
                name="report_one_current_version",
            ),
            models.CheckConstraint(
                condition=Q(image_progress__gte=0, image_progress__lte=100),
                name="report_image_progress_range",
            ),
            models.CheckConstraint(condition=Q(investment__gte=0), name="report_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period_start.isoformat()} v{self.version}"
