"""Base models every app builds on, and the core platform's own tables."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """created/updated times, set by the database layer, never by forms."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class WorkdayAdjustmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> WorkdayAdjustmentQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")

    def in_year(self, year: int) -> WorkdayAdjustmentQuerySet:
        return self.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))

    def for_listing(self) -> WorkdayAdjustmentQuerySet:
        return self.select_related("created_by")


class WorkdayAdjustment(TimeStampedModel):
    """An administrator's override of one day of the official calendar (duban.core.calendar).

    It wins over the `chinese-calendar` package, and it is how a year the package does not
    know yet (published by the State Council each November) is entered by hand: a year with
    at least one adjustment counts as entered.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"), help_text=_("上班（调休上班）或放假"))
    name = models.CharField(_("名称"), max_length=32, help_text=_("如“春节”“春节调休上班”"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = WorkdayAdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date.isoformat()} {kind} {self.name}"
