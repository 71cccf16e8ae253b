"""Rectification orders (整改): a deduction's fix demanded from its town, closed out when verified."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from .choices import RectificationStatus
from .models import Campaign, CampaignTown, Deduction, ScopedQuerySet


class Rectification(TimeStampedModel):
    deduction = models.OneToOneField(
        Deduction, verbose_name=_("扣分"), on_delete=models.PROTECT, related_name="rectification"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="rectifications"
    )
    town = models.ForeignKey(
        CampaignTown, verbose_name=_("责任镇街"), on_delete=models.PROTECT, related_name="rectifications"
    )
    requirement = models.TextField(_("整改要求"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("下达日期"))
    working_days = models.PositiveSmallIntegerField(_("整改时限(工作日)"))
    due_date = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    answer = models.TextField(_("整改情况"), blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    verdict = models.TextField(_("核验意见"), blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="rectification_status_due")]

    def __str__(self) -> str:
        return _("%(town)s：%(item)s整改") % {"town": self.town, "item": self.deduction.item}
