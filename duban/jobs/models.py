"""The Job row: a background job as its owner sees it (status, progress, log, result, error).

The task queue (django-tasks with the database backend) runs the work; this row is what
pages show and what the job body updates as it goes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from duban.core.models import TimeStampedModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")


class Job(TimeStampedModel):
    kind = models.CharField("任务类型", max_length=64)
    title = models.CharField("名称", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    status = models.CharField("状态", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField("参数", default=dict, blank=True)
    progress_done = models.PositiveIntegerField("已处理", default=0)
    progress_total = models.PositiveIntegerField("总数", default=0)
    log = models.TextField("日志", blank=True)
    error = models.TextField("错误", blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=255, blank=True)
    task_result_id = models.CharField("队列编号", max_length=64, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == JobStatus.SUCCEEDED else 0
        return min(100, self.progress_done * 100 // self.progress_total)
