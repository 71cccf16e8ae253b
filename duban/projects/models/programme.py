"""Programmes (e.g. a new urban district) run by a headquarters (指挥部) with member departments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from ..choices import PlanStep
from .base import ScopedQuerySet


class Programme(TimeStampedModel):
    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("片区/专项名称"), max_length=100, validators=[validate_no_control_chars])
    headquarters = models.ForeignKey(
        "org.Unit", verbose_name=_("指挥部"), on_delete=models.PROTECT, related_name="programmes_led"
    )
    members: models.ManyToManyField = models.ManyToManyField(
        "org.Unit", verbose_name=_("成员单位"), related_name="programmes_joined", blank=True
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指挥长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes_led",
    )
    description = models.TextField(_("目标任务"), blank=True, max_length=4000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("片区开发")
        verbose_name_plural = _("片区开发")
        ordering = ["county_id", "name"]

    def __str__(self) -> str:
        return self.name


class PlanMilestone(TimeStampedModel):
    """A plan-making step of the programme (survey, draft plan, expert review, approval)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("片区开发"), on_delete=models.CASCADE, related_name="plan_milestones"
    )
    step = models.CharField(_("规划环节"), max_length=16, choices=PlanStep.choices)
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=0)
    planned_date = models.DateField(_("计划完成日期"))
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("规划节点")
        verbose_name_plural = _("规划节点")
        ordering = ["programme_id", "sequence"]

    def __str__(self) -> str:
        return self.get_step_display()
