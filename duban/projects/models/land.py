"""Construction-land quotas (土地指标): the county's yearly quota per kind, and projects' requests."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from ..choices import LandKind, LandRequestStatus, LandStage, Urgency
from .base import ScopedQuerySet


class LandQuota(TimeStampedModel):
    """A year's quota of one kind, in mu. `allocated_mu` only moves by an approval, under a row lock,
    and the database refuses any value above the total (two approvals at once cannot over-allocate)."""

    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="land_quotas"
    )
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("指标类型"), max_length=20, choices=LandKind.choices)
    total_mu = models.DecimalField(
        _("指标总量(亩)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("面积不能为负数"))],
    )
    allocated_mu = models.DecimalField(
        _("已安排(亩)"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    land_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("自然资源主管部门"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("拟定安排方案的部门"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("土地指标")
        verbose_name_plural = _("土地指标")
        ordering = ["county_id", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "kind"], name="land_quota_once"),
            models.CheckConstraint(
                condition=Q(allocated_mu__gte=0, allocated_mu__lte=F("total_mu")),
                name="land_quota_never_over_allocated",
                violation_error_message=_("已安排面积不能超过指标总量"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}"

    @property
    def remaining_mu(self):
        return self.total_mu - self.allocated_mu


class LandRequest(TimeStampedModel):
    """A project's request for quota; the land department proposes an order, a leader approves."""

    quota = models.ForeignKey(
        LandQuota, verbose_name=_("土地指标"), on_delete=models.PROTECT, related_name="requests"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="land_requests"
    )
    area_mu = models.DecimalField(
        _("申请面积(亩)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01, message=_("申请面积须大于0"))],
    )
    stage = models.CharField(_("用地手续阶段"), max_length=20, choices=LandStage.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.MEDIUM)
    reason = models.CharField(_("申请理由"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=LandRequestStatus.choices,
        default=LandRequestStatus.REQUESTED,
        editable=False,
    )
    priority = models.PositiveSmallIntegerField(_("安排顺序"), null=True, blank=True, editable=False)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("用地指标申请")
        verbose_name_plural = _("用地指标申请")
        ordering = ["quota_id", "priority", "created_at"]
        constraints = [models.CheckConstraint(condition=Q(area_mu__gt=0), name="land_request_area_positive")]

    def __str__(self) -> str:
        return f"{self.project} · {self.area_mu}亩"
