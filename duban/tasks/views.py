"""Pages of supervised tasks. Reads start from queries (visible_to); writes call the services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .queries import task_for_page


@login_required
def task_detail(request, pk: int):
    task = task_for_page(request.user, pk)
    return render(request, "tasks/task_detail.html", {"task": task})
