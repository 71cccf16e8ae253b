"""Automatic reminders (催办), computed once a day by the `tasks.daily_reminders` schedule.

For every open task on a working day:
- assigned but not accepted after `accept_within` working days: every working day, to the lead unit;
- each undone time node and the deadline: `remind_before` working days before, on the day, and every
  working day after while overdue;
- periodic feedback missing (weekly / every two weeks / monthly, counted from the last feedback);
- overdue for `escalate_head_after` working days: also to the unit head; for
  `escalate_leader_after`: also to the leader in charge.

Exactly once: each reminder inserts a `Chase(task, kind, node, day)` row under a unique
constraint before notifying, and the notification key is `tasks.<kind>:<task>:<node>:<day>`,
so a second worker (or a second run the same day) sends nothing. Days off send nothing unless
`fire_on_holidays` is set. Settings: `DUBAN_TASKS` (see DEFAULTS and docs/tasks.md).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.choices import Role
from duban.accounts.models import Grant
from duban.core import calendar
from duban.core.templatetags.duban_format import zh_date
from duban.notifications.services import notify

from .choices import FEEDBACK_INTERVAL_DAYS, WORKING, ChaseKind, TaskStatus
from .models import Chase, Task, TaskNode
from .services import task_url

DEFAULTS = {
    "remind_before": 3,  # working days before a node or the deadline
    "accept_within": 2,  # working days to accept before being chased
    "escalate_head_after": 2,  # working days overdue before the unit head is told
    "escalate_leader_after": 5,  # working days overdue before the leader in charge is told
    "fire_on_holidays": False,
    "extension_leader_approval": False,  # extensions need the leader in charge after the office
}


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "DUBAN_TASKS", {})}


@dataclass(frozen=True)
class Reminder:
    kind: str
    audience: str  # "unit" (liaisons, else the head), "head", "leader"
    title: str
    node: TaskNode | None = None


def _date_reminders(when: datetime.date, today: datetime.date, conf: dict, kinds, label: str) -> list[tuple]:
    """(kind, working days overdue) for a dated step: before, on the day, or overdue."""
    before, due, overdue = kinds
    if today < when:
        if calendar.working_days_between(today, when) == conf["remind_before"]:
            return [
                (
                    before,
                    0,
                    _("%(label)s还有%(n)s个工作日到期") % {"label": label, "n": conf["remind_before"]},
                )
            ]
        return []
    if today == when:
        return [(due, 0, _("%(label)s今天到期") % {"label": label})]
    late = max(calendar.working_days_between(when, today), 1)
    return [(overdue, late, _("%(label)s已逾期%(n)s个工作日") % {"label": label, "n": late})]


def reminders_for(task: Task, today: datetime.date, conf: dict) -> list[Reminder]:
    """What is due today for one task (pure: reads only the task and its prefetched nodes)."""
    if task.status not in WORKING and task.status != TaskStatus.ASSIGNED:
        return []
    out: list[Reminder] = []
    if task.status == TaskStatus.ASSIGNED:
        assigned = timezone.localdate(task.assigned_at) if task.assigned_at else today
        if calendar.working_days_between(assigned, today) >= conf["accept_within"]:
            out.append(Reminder(ChaseKind.ACCEPT, "unit", _("请签收督办事项：%(t)s") % {"t": task.title}))
    for node in task.nodes.all():
        if node.done_on is None:
            kinds = (ChaseKind.BEFORE_NODE, ChaseKind.NODE_DUE, ChaseKind.NODE_OVERDUE)
            label = _("时间节点“%(n)s”（%(d)s）") % {"n": node.title, "d": zh_date(node.due_date)}
            for kind, _late, text in _date_reminders(node.due_date, today, conf, kinds, label):
                out.append(Reminder(kind, "unit", f"{text}：{task.title}", node))
    kinds = (ChaseKind.BEFORE_DEADLINE, ChaseKind.DUE, ChaseKind.OVERDUE)
    for kind, late, text in _date_reminders(task.deadline, today, conf, kinds, _("办结时限")):
        out.append(Reminder(kind, "unit", f"{text}：{task.title}"))
        if late >= conf["escalate_head_after"]:
            out.append(
                Reminder(ChaseKind.ESCALATE_HEAD, "head", f"{text}（请单位主要负责人督促）：{task.title}")
            )
        if late >= conf["escalate_leader_after"] and task.leader_in_charge_id:
            out.append(
                Reminder(ChaseKind.ESCALATE_LEADER, "leader", f"{text}（提请分管领导关注）：{task.title}")
            )
    interval = FEEDBACK_INTERVAL_DAYS.get(task.feedback_frequency)
    since = task.last_feedback_at or task.accepted_at
    if interval and task.status in WORKING and since and (today - timezone.localdate(since)).days > interval:
        out.append(
            Reminder(ChaseKind.FEEDBACK_MISSING, "unit", _("请按期反馈进展：%(t)s") % {"t": task.title})
        )
    return out


def _people(unit_ids: set[int]) -> dict[tuple[int, str], list]:
    """(unit id, role) -> active users, for every lead unit at once (one query)."""
    people: dict[tuple[int, str], list] = defaultdict(list)
    grants = Grant.objects.active().filter(
        unit__in=unit_ids, role__in=[Role.UNIT_LIAISON, Role.UNIT_HEAD], user__is_active=True
    )
    for grant in grants.select_related("user"):
        people[(grant.unit_id, grant.role)].append(grant.user)
    return people


def _recipients(task: Task, audience: str, people) -> list:
    if audience == "leader":
        return [task.leader_in_charge]
    heads = people.get((task.lead_unit_id, Role.UNIT_HEAD), [])
    if audience == "head":
        return heads
    return people.get((task.lead_unit_id, Role.UNIT_LIAISON), []) or heads


def _send(task: Task, reminder: Reminder, today: datetime.date, people) -> bool:
    """Record and send one reminder, unless this task/kind/node/day was already done (by anyone)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                chase = Chase.objects.create(task=task, kind=reminder.kind, node=reminder.node, day=today)
        except IntegrityError:
            return False
        node_part = reminder.node.pk if reminder.node else ""
        sent = notify(
            _recipients(task, reminder.audience, people),
            kind=f"tasks.{reminder.kind}",
            title=reminder.title,
            url=task_url(task),
            target=task,
            key=f"tasks.{reminder.kind}:{task.pk}:{node_part}:{today.isoformat()}",
        )
        chase.recipients = len(sent)
        chase.save(update_fields=["recipients"])
        Task.objects.filter(pk=task.pk).update(chase_count=F("chase_count") + 1)
    return True


def send_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send what is due today; returns the count per kind of reminders sent by this run."""
    today = today or timezone.localdate()
    conf = config()
    if not conf["fire_on_holidays"] and not calendar.is_workday(today):
        return {}
    open_states = [TaskStatus.ASSIGNED, *WORKING]
    tasks = list(
        Task.objects.filter(status__in=open_states)
        .select_related("leader_in_charge")
        .prefetch_related(Prefetch("nodes", queryset=TaskNode.objects.filter(done_on__isnull=True)))
        .order_by("pk")
    )
    people = _people({t.lead_unit_id for t in tasks})
    counts: dict[str, int] = defaultdict(int)
    for task in tasks:
        for reminder in reminders_for(task, today, conf):
            if _send(task, reminder, today, people):
                counts[reminder.kind] += 1
    return dict(counts)
