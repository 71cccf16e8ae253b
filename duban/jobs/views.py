"""My background jobs: the list, a job's page (polled while it runs) and its result file."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from duban.accounts import policy

from . import queries
from .models import Job
from .services import result_dir

PAGE_SIZE = 30


@login_required
@require_GET
def job_list(request):
    page = Paginator(queries.jobs_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
@require_GET
def job_detail(request, pk: int):
    job = policy.get_object_for_user_or_404(request.user, Job, pk)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
@require_GET
def job_status(request, pk: int):
    """The part of the job page that htmx polls every 2 s while the job is queued or running."""
    job = policy.get_object_for_user_or_404(request.user, Job, pk)
    return render(request, "jobs/partials/status.html", {"job": job})


@login_required
@require_GET
def job_download(request, pk: int):
    """The result file, to the job's owner only (404 for anyone else and for a missing file)."""
    job = policy.get_object_for_user_or_404(request.user, Job, pk)
    if not job.result_file:
        raise Http404
    base = result_dir().resolve()
    path = (base / job.result_file).resolve()
    if base not in path.parents or not path.is_file():
        raise Http404
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(
        Path(path).open("rb"), as_attachment=True, filename=path.name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
