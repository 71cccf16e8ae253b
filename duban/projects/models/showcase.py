"""The showcase tour (观摩): its standard, readiness per project, gaps and rehearsal scores."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from ..choices import Organiser, Readiness
from .base import ScopedQuerySet


class Showcase(TimeStampedModel):
    county = models.ForeignKey(
        "org.Region", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="showcases"
    )
    name = models.CharField(_("观摩活动"), max_length=100, validators=[validate_no_control_chars])
    date = models.DateField(_("观摩日期"))
    organiser = models.CharField(_("组织方"), max_length=8, choices=Organiser.choices, default=Organiser.CITY)
    # The city's published rule turning ranks into points: 1st = top, then minus step per place.
    top_points = models.DecimalField(_("第一名得分"), max_digits=6, decimal_places=2, default=Decimal(100))
    rank_step = models.DecimalField(
        _("名次递减分"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(0, message=_("递减分不能为负数"))],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("观摩活动")
        verbose_name_plural = _("观摩活动")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.name


class ShowcaseCriterion(TimeStampedModel):
    showcase = models.ForeignKey(
        Showcase, verbose_name=_("观摩活动"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("观摩标准"), max_length=64, validators=[validate_no_control_chars])
    requirement = models.CharField(_("观摩时须达到"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("权重须大于0"))],
    )
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("观摩标准")
        verbose_name_plural = _("观摩标准")
        ordering = ["showcase_id", "sequence", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name


class ReadinessAssessment(TimeStampedModel):
    """Where one project stands against one criterion of the tour."""

    criterion = models.ForeignKey(
        ShowcaseCriterion, verbose_name=_("观摩标准"), on_delete=models.CASCADE, related_name="assessments"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="assessments"
    )
    result = models.CharField(_("对照情况"), max_length=8, choices=Readiness.choices)
    evidence = models.CharField(_("依据"), max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("观摩准备评估")
        verbose_name_plural = _("观摩准备评估")
        constraints = [models.UniqueConstraint(fields=["criterion", "project"], name="assessment_once")]


class ShowcaseGap(TimeStampedModel):
    """What a project still lacks for the tour: what, by whom, by when (对照观摩要求的差距)."""

    showcase = models.ForeignKey(
        Showcase, verbose_name=_("观摩活动"), on_delete=models.CASCADE, related_name="gaps"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="showcase_gaps"
    )
    what = models.CharField(_("差距"), max_length=200, validators=[validate_no_control_chars])
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("完成时限"))
    problem = models.OneToOneField(
        "projects.Problem",
        verbose_name=_("已转问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gap",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("观摩差距")
        verbose_name_plural = _("观摩差距")
        ordering = ["due_date", "id"]


class RehearsalScore(TimeStampedModel):
    """An inspector's rehearsal score of a project, as the city's inspectors will score it."""

    showcase = models.ForeignKey(
        Showcase, verbose_name=_("观摩活动"), on_delete=models.CASCADE, related_name="scores"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="rehearsal_scores"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(0, message=_("得分须在0到100之间")),
            MaxValueValidator(100, message=_("得分须在0到100之间")),
        ],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预观摩评分")
        verbose_name_plural = _("预观摩评分")
        constraints = [
            models.UniqueConstraint(fields=["showcase", "project", "inspector"], name="rehearsal_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="rehearsal_score_range"),
        ]
