"""The Job row: a background job as its owner sees it (status, progress, log, result, error).

The task queue (django-tasks with the database backend) runs the work; this row is what
pages show and what the job body updates as it goes.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")


class Job(TimeStampedModel):
    kind = models.CharField(_("任务类型"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    log = models.TextField(_("日志"), blank=True)
    error = models.TextField(_("错误"), blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    result_file = models.CharField(_("结果文件"), max_length=255, blank=True)
    task_result_id = models.CharField(_("队列编号"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "-id"], name="job_owner_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == JobStatus.SUCCEEDED else 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def result_filename(self) -> str:
        return Path(self.result_file).name if self.result_file else ""


class ScheduleFiring(models.Model):
    """One firing of a periodic schedule: (name, slot) is unique, so with several workers
    exactly one of them inserts the row and runs the firing; the others get IntegrityError."""

    name = models.CharField(_("计划名称"), max_length=100)
    slot = models.DateTimeField(_("计划时刻"))
    fired_at = models.DateTimeField(_("触发时间"), auto_now_add=True)
    worker_id = models.CharField(_("执行进程"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("定时任务触发记录")
        verbose_name_plural = _("定时任务触发记录")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="schedule_firing_once")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M:%S}"
