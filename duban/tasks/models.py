"""Meetings and instructions (where tasks come from), supervised tasks and what happens to them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from .choices import (
    Category,
    ChaseKind,
    CoopState,
    ExtensionStatus,
    FeedbackFrequency,
    FeedbackKind,
    MeetingKind,
    Priority,
    Rating,
    TaskStatus,
)

USER = settings.AUTH_USER_MODEL


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from duban.accounts import policy

        return policy.scope_queryset(self, user, action)


class Meeting(TimeStampedModel):
    """A meeting whose minutes hand out work (会议纪要)."""

    region = models.ForeignKey("org.Region", verbose_name=_("所属县(区)"), on_delete=models.PROTECT)
    name = models.CharField(_("会议名称"), max_length=120)
    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    date = models.DateField(_("会议日期"))
    chair = models.ForeignKey(
        USER, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.name


class Instruction(TimeStampedModel):
    """A leader's written instruction (领导批示)."""

    region = models.ForeignKey("org.Region", verbose_name=_("所属县(区)"), on_delete=models.PROTECT)
    leader = models.ForeignKey(USER, verbose_name=_("批示领导"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.leader}批示（{self.date:%Y-%m-%d}）"


class Task(TimeStampedModel):
    """A supervised task (督办事项): assigned to a lead unit and chased until closed."""

    region = models.ForeignKey(
        "org.Region", verbose_name=_("所属县(区)"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事项名称"), max_length=200)
    requirement = models.TextField(_("工作要求"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("来源会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("来源批示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    cooperating_units: models.ManyToManyField = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("配合单位"),
        through="TaskUnit",
        related_name="cooperating_tasks",
        blank=True,
    )
    leader_in_charge = models.ForeignKey(
        USER, verbose_name=_("责任领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    priority = models.CharField(
        _("紧急程度"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    deadline = models.DateField(_("办结时限"))
    original_deadline = models.DateField(_("原定时限"))
    feedback_frequency = models.CharField(
        _("反馈频次"), max_length=16, choices=FeedbackFrequency.choices, default=FeedbackFrequency.WEEKLY
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    # The object the task concerns (a project, a lead, an indicator, a campaign), when there is one.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    concerns = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
    )
    is_public = models.BooleanField(_("县内公开"), default=False)
    requires_evidence = models.BooleanField(_("办结须附佐证材料"), default=False)
    status = models.CharField(_("状态"), max_length=24, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    status_reason = models.CharField(_("暂停/撤销原因"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    last_feedback_at = models.DateTimeField(_("最近反馈时间"), null=True, blank=True)
    completion_requested_on = models.DateField(_("申请办结日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # Working days past the deadline when completion was requested (0 when on time); set on close.
    delay_working_days = models.IntegerField(_("逾期工作日"), null=True, blank=True)
    timeliness_rating = models.PositiveSmallIntegerField(
        _("时效评价"), choices=Rating.choices, null=True, blank=True
    )
    quality_rating = models.PositiveSmallIntegerField(
        _("质量评价"), choices=Rating.choices, null=True, blank=True
    )
    # Counters kept with the moves that change them, so lists and rankings need no joins.
    feedback_count = models.PositiveIntegerField(_("反馈次数"), default=0)
    late_feedback_count = models.PositiveIntegerField(_("逾期反馈次数"), default=0)
    return_count = models.PositiveIntegerField(_("退回次数"), default=0)
    extension_count = models.PositiveIntegerField(_("延期次数"), default=0)
    chase_count = models.PositiveIntegerField(_("催办次数"), default=0)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["lead_unit", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        if self.meeting_id:
            return str(self.meeting)
        if self.instruction_id:
            return str(self.instruction)
        return ""


class TaskUnit(models.Model):
    """A cooperating unit of a task and where its feedback to the lead unit stands."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="cooperations")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("配合单位"), on_delete=models.PROTECT, related_name="+"
    )
    feedback_state = models.CharField(
        _("反馈状态"), max_length=16, choices=CoopState.choices, default=CoopState.WAITING
    )
    last_feedback_at = models.DateTimeField(_("最近反馈时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("配合单位")
        verbose_name_plural = _("配合单位")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="taskunit_unique")]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"


class TaskNode(models.Model):
    """An intermediate time node (时间节点) that must not slip."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="nodes")
    title = models.CharField(_("节点内容"), max_length=200)
    due_date = models.DateField(_("节点时间"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class Feedback(TimeStampedModel):
    """A progress report (反馈), a completion request with its evidence, or a leader's comment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="feedbacks")
    kind = models.CharField(
        _("类型"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.PROGRESS
    )
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(USER, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"))
    progress = models.PositiveSmallIntegerField(_("进度(%)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task}"


class ExtensionRequest(TimeStampedModel):
    """A request for a later deadline (延期申请); every one is kept, decided or not."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    previous_deadline = models.DateField(_("原截止日期"))
    requested_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("审批状态"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    # The office's step when the leader in charge decides last (DUBAN_TASKS extension_leader_approval).
    office_decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office_decided_at = models.DateTimeField(_("督查室审核时间"), null=True, blank=True)
    office_note = models.CharField(_("督查室意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status__in=["pending", "pending_leader"]),
                name="extension_one_pending_per_task",
            ),
        ]


class Chase(TimeStampedModel):
    """A reminder (催办), manual or automatic. One per task, kind, node and day."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="chases")
    kind = models.CharField(_("类型"), max_length=24, choices=ChaseKind.choices)
    node = models.ForeignKey(TaskNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    note = models.CharField(_("催办说明"), max_length=500, blank=True)
    chased_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipients = models.PositiveSmallIntegerField(_("通知人数"), default=0)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-day", "-id"]
        constraints = [
            # Automatic reminders are unique per day: a second worker's insert fails and it skips.
            models.UniqueConstraint(
                fields=["task", "kind", "day"],
                condition=Q(node__isnull=True) & ~Q(kind="manual"),
                name="chase_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["task", "kind", "node", "day"],
                condition=Q(node__isnull=False),
                name="chase_node_once_per_day",
            ),
        ]
