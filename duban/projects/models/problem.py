"""The problem register (问题台账): difficulties raised on a project, assigned to units, closed out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from ..choices import ProblemKind, ProblemStatus
from .base import ScopedQuerySet


class Problem(TimeStampedModel):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="problems"
    )
    kind = models.CharField(_("问题类型"), max_length=16, choices=ProblemKind.choices)
    title = models.CharField(_("问题"), max_length=100, validators=[validate_no_control_chars])
    description = models.TextField(_("具体情况"), blank=True, max_length=2000)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.RAISED, editable=False
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("办结时限"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True, editable=False)
    last_note = models.CharField(_("最近意见"), max_length=500, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题台账")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ProblemAssignment(TimeStampedModel):
    """One responsible unit of a problem, with its answer."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="problem_assignments"
    )
    answer = models.TextField(_("办理情况"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["problem_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["problem", "unit"], name="problem_unit_once")]
