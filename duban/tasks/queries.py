"""Composed reads of the tasks module: every one starts from visible_to / the policy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from duban.accounts import policy

from .models import Feedback, Task


def tasks_for(user, action: str = policy.VIEW) -> QuerySet[Task]:
    return Task.objects.visible_to(user, action).select_related(
        "lead_unit", "leader_in_charge", "meeting", "instruction__leader", "region"
    )


def task_for_page(user, pk: int) -> Task:
    """One task with everything its page shows, in a fixed number of queries."""
    qs = tasks_for(user).prefetch_related(
        "cooperations__unit",
        "nodes",
        Prefetch(
            "feedbacks",
            queryset=Feedback.objects.select_related("author", "unit").order_by("-created_at", "-id"),
        ),
        "extensions__requested_by",
        "extensions__decided_by",
        "chases__chased_by",
    )
    return policy.get_object_for_user_or_404(user, qs, pk)
