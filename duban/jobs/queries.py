"""Reads for the job pages: the owner's jobs, one query per page."""

from __future__ import annotations

from .models import Job

LIST_FIELDS = (
    "id", "owner_id", "kind", "title", "status", "progress_done", "progress_total",
    "result_file", "created_at", "started_at", "finished_at",
)  # fmt: skip


def jobs_for(user):
    return Job.objects.visible_to(user).only(*LIST_FIELDS)
