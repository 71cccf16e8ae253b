"""The project register: projects, stewards, monthly investment, milestones and their moves."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from ..choices import Category, Level, MilestoneKind, MoveStatus, ProjectStatus, ReportFrequency
from .base import ScopedQuerySet

NON_NEGATIVE = [MinValueValidator(0, message=_("金额不能为负数"))]


class Project(TimeStampedModel):
    """A key construction project tracked by the county (重点项目)."""

    county = models.ForeignKey(
        "org.Region", verbose_name=_("所属县(区)"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(_("项目编号"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=100, validators=[validate_no_control_chars])
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices)
    level = models.CharField(_("项目级别"), max_length=16, choices=Level.choices, default=Level.COUNTY_KEY)
    status = models.CharField(
        _("建设状态"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    location_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所在镇街园区"),
        on_delete=models.PROTECT,
        related_name="located_projects",
    )
    village = models.ForeignKey(
        "org.Region",
        verbose_name=_("所在村(社区)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_projects"
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_in_charge",
    )
    investor = models.CharField(
        _("投资/建设主体"), max_length=100, blank=True, validators=[validate_no_control_chars]
    )
    total_investment = models.DecimalField(
        _("总投资(万元)"), validators=NON_NEGATIVE, max_digits=15, decimal_places=2
    )
    plan_year = models.PositiveIntegerField(_("计划年度"))
    year_plan_investment = models.DecimalField(
        _("年度计划投资(万元)"), validators=NON_NEGATIVE, max_digits=15, decimal_places=2
    )
    year_completed_investment = models.DecimalField(
        _("年度累计完成投资(万元)"), default=0, editable=False, max_digits=15, decimal_places=2
    )
    planned_start = models.DateField(_("计划开工"))
    planned_completion = models.DateField(_("计划竣工"))
    description = models.TextField(_("建设内容"), blank=True, max_length=4000)
    programme = models.ForeignKey(
        "projects.Programme",
        verbose_name=_("所属片区开发"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    report_frequency = models.CharField(
        _("进展报送周期"), max_length=8, choices=ReportFrequency.choices, default=ReportFrequency.MONTHLY
    )
    confirmed_at = models.DateTimeField(_("节点锁定时间"), null=True, blank=True, editable=False)
    # The overall light (worst of the milestones and the investment progress), kept here so the
    # register filters and counts by light in the database; refreshed on every write to the
    # project and each night (lights move with the date).
    light = models.CharField(_("亮灯"), max_length=8, default="grey", editable=False)
    light_reason = models.CharField(_("亮灯原因"), max_length=100, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["county__path", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_completion__gte=models.F("planned_start")),
                name="project_completion_after_start",
                violation_error_message=_("计划竣工日期不能早于计划开工日期"),
            ),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0, year_plan_investment__gte=0),
                name="project_money_not_negative",
                violation_error_message=_("金额不能为负数"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stewardship(TimeStampedModel):
    """A cadre or a unit made personally responsible for a project (包保)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stewardships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包保干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewardships",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("包保单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewardships",
    )
    full_time = models.BooleanField(_("脱产包保"), default=False)
    start_date = models.DateField(_("包保开始日期"))
    end_date = models.DateField(_("包保结束日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("包保")
        verbose_name_plural = _("包保")
        ordering = ["project_id", "-full_time", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, unit__isnull=True) | Q(user__isnull=True, unit__isnull=False),
                name="stewardship_user_xor_unit",
                violation_error_message=_("包保主体须为一名干部或一个单位"),
            ),
            models.CheckConstraint(
                condition=Q(full_time=False) | Q(user__isnull=False),
                name="stewardship_full_time_is_a_cadre",
                violation_error_message=_("只有干部可以脱产包保"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.unit)


class InvestmentReport(TimeStampedModel):
    """A month's cumulative completed investment for the year (年度累计完成投资)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="investment_reports"
    )
    year = models.PositiveIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    cumulative = models.DecimalField(
        _("累计完成投资(万元)"), validators=NON_NEGATIVE, max_digits=15, decimal_places=2
    )
    reason = models.CharField(_("核减原因"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("投资完成情况")
        verbose_name_plural = _("投资完成情况")
        ordering = ["project_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="investment_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="investment_month_valid"),
            models.CheckConstraint(condition=Q(cumulative__gte=0), name="investment_not_negative"),
        ]


class Milestone(TimeStampedModel):
    """A dated step of a project (节点). The planned date is locked once the project is confirmed."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("节点类型"), max_length=24, choices=MilestoneKind.choices)
    name = models.CharField(_("节点名称"), max_length=64, validators=[validate_no_control_chars])
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=0)
    planned_date = models.DateField(_("计划完成日期"))
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)
    evidence_note = models.CharField(_("完成佐证说明"), max_length=200, blank=True)
    move_count = models.PositiveSmallIntegerField(_("调整次数"), default=0, editable=False)
    days_slipped = models.IntegerField(_("累计推迟天数"), default=0, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project_id", "sequence", "planned_date"]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class MilestoneMove(TimeStampedModel):
    """A request to move a locked planned date; the supervision office approves or refuses it."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("节点"), on_delete=models.CASCADE, related_name="moves"
    )
    old_date = models.DateField(_("原计划日期"))
    new_date = models.DateField(_("申请调整为"))
    reason = models.CharField(_("调整理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=16, choices=MoveStatus.choices, default=MoveStatus.PENDING
    )
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
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("节点调整申请")
        verbose_name_plural = _("节点调整申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(status=MoveStatus.PENDING),
                name="milestone_one_pending_move",
                violation_error_message=_("该节点已有待审批的调整申请"),
            ),
        ]

    @property
    def days(self) -> int:
        return (self.new_date - self.old_date).days
