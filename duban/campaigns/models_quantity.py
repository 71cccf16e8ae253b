"""Quantity works (工程量): work items planned per village, reported by towns period by period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from .choices import Measure
from .models import Campaign, CampaignVillage, ScopedQuerySet


class WorkItem(TimeStampedModel):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="work_items"
    )
    name = models.CharField(_("工作内容"), max_length=100, validators=[validate_no_control_chars])
    measure = models.CharField(_("计量"), max_length=20, choices=Measure.choices)
    unit_label = models.CharField(_("计量单位"), max_length=8)
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作量项目")
        verbose_name_plural = _("工作量项目")
        ordering = ["campaign_id", "sequence", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="work_item_name_once")]

    def __str__(self) -> str:
        return self.name


class QuantityPlan(TimeStampedModel):
    """The planned quantity of a work item in one village; a town's plan is the sum of its villages'."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name=_("工作量项目"), on_delete=models.CASCADE, related_name="plans"
    )
    village = models.ForeignKey(
        CampaignVillage, verbose_name=_("村(社区)"), on_delete=models.CASCADE, related_name="plans"
    )
    planned = models.DecimalField(_("计划量"), max_digits=12, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划工作量")
        verbose_name_plural = _("计划工作量")
        constraints = [
            models.UniqueConstraint(fields=["work_item", "village"], name="quantity_plan_once"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="quantity_plan_not_negative"),
        ]


class QuantityReport(TimeStampedModel):
    """Quantity completed in a village during one period (to `period_end`), with photos."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name=_("工作量项目"), on_delete=models.CASCADE, related_name="reports"
    )
    village = models.ForeignKey(
        CampaignVillage, verbose_name=_("村(社区)"), on_delete=models.CASCADE, related_name="reports"
    )
    period_end = models.DateField(_("统计截止日期"))
    quantity = models.DecimalField(_("本期完成量"), max_digits=12, decimal_places=2)
    over_plan_confirmed = models.BooleanField(_("已确认超计划"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True, validators=[validate_no_control_chars])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作量完成情况")
        verbose_name_plural = _("工作量完成情况")
        ordering = ["work_item_id", "village_id", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_item", "village", "period_end"], name="quantity_report_once"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="quantity_report_not_negative"),
        ]
