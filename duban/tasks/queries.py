"""Composed reads of the tasks module: every one starts from visible_to / the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from duban.accounts import policy
from duban.accounts.choices import Role

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
        "extensions__office_decided_by",
        "chases__chased_by",
        Prefetch("subtasks", queryset=Task.objects.visible_to(user).select_related("lead_unit")),
    )
    return policy.get_object_for_user_or_404(user, qs, pk)


def inbox_for(user) -> dict[str, Any]:
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
    # the leader in charge rules on extensions the office has passed on to them
    for_leader = tasks_for(user).filter(
        leader_in_charge=user, extensions__status=ExtensionStatus.PENDING_LEADER
    )
    decide = Q(pk__in=office.filter(waiting).values("pk")) | Q(pk__in=for_leader.values("pk"))
    return {
        "to_accept": list(mine.filter(status=TaskStatus.ASSIGNED).order_by("deadline")),
        "overdue": list(mine.filter(status__in=working, deadline__lt=today).order_by("deadline")),
        "working": list(mine.filter(status__in=working, deadline__gte=today).order_by("deadline")),
        "to_decide": list(with_light(tasks_for(user).filter(decide)).order_by("deadline")[:100]),
        # a leader in charge (not the office) sees only the extensions passed on to them
        "deciding_as_leader": not policy.grants_of(user).paths({Role.SUPERVISION_OFFICE}),
    }


def light_counts(qs) -> dict[str, int]:
    from django.db.models import Count

    return {row["light"]: row["n"] for row in qs.order_by().values("light").annotate(n=Count("id"))}


def meetings_for(user) -> QuerySet:
    """Meetings with how many tasks each produced, how many are closed and how many overdue."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .choices import OPEN, TaskStatus
    from .models import Meeting

    visible = Task.objects.visible_to(user).values("pk")
    today = timezone.localdate()
    mine = Q(tasks__in=visible)
    return (
        Meeting.objects.visible_to(user)
        .select_related("chair")
        .annotate(
            task_total=Count("tasks", filter=mine, distinct=True),
            task_closed=Count("tasks", filter=mine & Q(tasks__status=TaskStatus.CLOSED), distinct=True),
            task_overdue=Count(
                "tasks",
                filter=mine & Q(tasks__status__in=list(OPEN), tasks__deadline__lt=today),
                distinct=True,
            ),
        )
        .order_by("-date", "-id")
    )


def source_tasks(user, **source) -> tuple[list[Task], dict[str, int]]:
    """The tasks a meeting or instruction produced (with lights) and their count per status."""
    from django.db.models import Count

    from .filters import with_light

    qs = with_light(tasks_for(user).filter(**source))
    tasks = list(qs.order_by("parent_id", "deadline", "id"))
    counts = {r["status"]: r["n"] for r in qs.order_by().values("status").annotate(n=Count("id"))}
    return tasks, counts


def attach_feedback_files(task: Task) -> None:
    """Set `files` on every (prefetched) feedback of a task: one query for the whole timeline."""
    from django.contrib.contenttypes.models import ContentType

    from duban.attachments.queries import active_attachments

    feedbacks = list(task.feedbacks.all())
    by_feedback: dict[str, list] = {str(f.pk): [] for f in feedbacks}
    if feedbacks:
        ct = ContentType.objects.get_for_model(Feedback)
        rows = active_attachments().filter(content_type=ct, object_id__in=list(by_feedback)).order_by("id")
        for a in rows:
            by_feedback[a.object_id].append(a)
    for f in feedbacks:
        f.files = by_feedback[str(f.pk)]  # type: ignore[attr-defined]


def board_order(qs: QuerySet[Task]) -> QuerySet[Task]:
    """The board's order: work still running first (by deadline), closed and cancelled last."""
    from django.db.models import Case, IntegerField, Value, When

    from .choices import TaskStatus

    finished = When(status__in=[TaskStatus.CLOSED, TaskStatus.CANCELLED], then=Value(1))
    return qs.annotate(finished=Case(finished, default=Value(0), output_field=IntegerField())).order_by(
        "finished", "deadline", "id"
    )


def own_history(user, obj, limit: int = 50) -> list:
    """The audit entries whose target is `obj` itself (a meeting's page lists its tasks apart)."""
    from duban.audit.models import AuditEntry
    from duban.audit.queries import change_rows

    if not policy.can(user, policy.VIEW, obj):
        return []
    qs = AuditEntry.objects.filter(target_type=obj._meta.label, target_id=str(obj.pk))
    entries = list(qs.order_by("-id")[:limit])
    for entry in entries:
        entry.change_list = change_rows(entry)  # type: ignore[attr-defined]
    return entries


def deadlines_between(user, first, last) -> dict:
    """Deadlines and undone time nodes of the tasks the user sees, by day: two queries."""
    from .choices import TaskStatus
    from .filters import with_light
    from .models import TaskNode

    running = tasks_for(user).exclude(status__in=[TaskStatus.CANCELLED, TaskStatus.SUSPENDED])
    days: dict = {}
    for task in with_light(running.filter(deadline__range=(first, last))).order_by("deadline", "id"):
        days.setdefault(task.deadline, []).append({"task": task, "node": None, "light": task.light})
    nodes = TaskNode.objects.filter(
        task__in=running.values("pk"), due_date__range=(first, last), done_on__isnull=True
    ).select_related("task__lead_unit")
    for node in nodes.order_by("due_date", "id"):
        days.setdefault(node.due_date, []).append({"task": node.task, "node": node, "light": ""})
    return days
