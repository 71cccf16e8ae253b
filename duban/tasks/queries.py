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


def inbox_for(user) -> dict[str, list[Task]]:
    """「我的督办」: what waits for the user's units (to accept, in progress, overdue) and, for the
    office, what waits for its decision. Three queries whatever the number of tasks."""
    from django.db.models import Q
    from django.utils import timezone

    from .choices import ExtensionStatus, TaskStatus
    from .filters import with_light
    from .rules import actor_units

    units = actor_units(user)
    mine = with_light(tasks_for(user).filter(lead_unit__in=units)) if units else Task.objects.none()
    today = timezone.localdate()
    working = [TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS]
    office = tasks_for(user, policy.CHANGE).exclude(lead_unit__in=units) if not units else Task.objects.none()
    waiting = Q(status=TaskStatus.COMPLETION_REQUESTED) | Q(extensions__status=ExtensionStatus.PENDING)
    return {
        "to_accept": list(mine.filter(status=TaskStatus.ASSIGNED).order_by("deadline")),
        "overdue": list(mine.filter(status__in=working, deadline__lt=today).order_by("deadline")),
        "working": list(mine.filter(status__in=working, deadline__gte=today).order_by("deadline")),
        "to_decide": list(with_light(office.filter(waiting).distinct()).order_by("deadline")[:100]),
    }


def light_counts(qs) -> dict[str, int]:
    from django.db.models import Count

    return {row["light"]: row["n"] for row in qs.order_by().values("light").annotate(n=Count("id"))}
