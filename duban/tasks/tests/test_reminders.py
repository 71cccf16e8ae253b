"""Automatic reminders over October 2026 (National Day holiday Oct 1-7, swapped working Saturday
Oct 10), with a frozen clock and two workers: each reminder once, none on a day off."""

import datetime
from collections import Counter

import pytest

from duban.core import calendar
from duban.jobs.schedule import SCHEDULES, Scheduler
from duban.notifications.models import Notification
from duban.tasks import services
from duban.tasks.choices import ChaseKind
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Chase
from duban.tasks.reminders import send_reminders

pytestmark = pytest.mark.django_db

D = datetime.date
K = ChaseKind


def days(start, end):
    d = start
    while d <= end:
        yield d
        d += datetime.timedelta(days=1)


def chase_days(task, kind):
    return sorted(Chase.objects.filter(task=task, kind=kind).values_list("day", flat=True))


@pytest.fixture
def october(clock):
    """Tasks set up on Mon 2026-09-28; then every day to Oct 31 two schedulers tick at 08:30 and
    12:00 and the job body also runs twice more by hand (as a retried or duplicated job would)."""
    clock.set(D(2026, 9, 28), 8)
    c = make_task_county()
    a = make_task(c, accept=True, title="甲", deadline=D(2026, 10, 12), nodes=[("初稿", D(2026, 10, 9))],
                  leader_in_charge=c.leader)  # fmt: skip
    b = make_task(c, assign=True, title="乙", deadline=D(2026, 10, 30), feedback_frequency="once")
    workers = [Scheduler(worker_id="w1", schedules=[SCHEDULES["tasks.daily_reminders"]]),
               Scheduler(worker_id="w2", schedules=[SCHEDULES["tasks.daily_reminders"]])]  # fmt: skip
    for day in days(D(2026, 9, 28), D(2026, 10, 31)):
        for hour, minute in ((8, 30), (12, 0)):
            clock.set(day, hour, minute)
            for worker in workers:
                worker.tick()
        send_reminders()
        send_reminders()
        if day == D(2026, 10, 14):
            clock.set(day, 15)
            services.complete_node(a.nodes.get(), actor=c.lead_liaison)
    return c, a, b


def test_deadline_reminders_before_on_the_day_and_every_working_day_after(october):
    _c, a, _b = october
    overdue = [d for d in days(D(2026, 10, 13), D(2026, 10, 31)) if calendar.is_workday(d)]
    assert chase_days(a, K.BEFORE_DEADLINE) == [D(2026, 10, 8)]  # Oct 9, 10 (Sat, swapped), 12 remain
    assert chase_days(a, K.DUE) == [D(2026, 10, 12)]
    assert chase_days(a, K.OVERDUE) == overdue
    assert chase_days(a, K.ESCALATE_HEAD) == overdue[1:]  # from 2 working days overdue
    assert chase_days(a, K.ESCALATE_LEADER) == overdue[4:]  # from 5: Mon Oct 19
    assert overdue[4] == D(2026, 10, 19)


def test_node_reminders_stop_when_the_node_is_done(october):
    _c, a, _b = october
    assert chase_days(a, K.BEFORE_NODE) == [D(2026, 9, 29)]  # Sep 30, Oct 8, Oct 9 remain
    assert chase_days(a, K.NODE_DUE) == [D(2026, 10, 9)]
    # The swapped Saturday Oct 10 is a working day; the node was done on Oct 14 afternoon.
    assert chase_days(a, K.NODE_OVERDUE) == [
        D(2026, 10, 10),
        D(2026, 10, 12),
        D(2026, 10, 13),
        D(2026, 10, 14),
    ]


def test_acceptance_and_periodic_feedback_are_chased(october):
    _c, a, b = october
    accept = chase_days(b, K.ACCEPT)
    assert accept[:3] == [D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9)]
    assert accept == [d for d in days(D(2026, 9, 30), D(2026, 10, 31)) if calendar.is_workday(d)]
    # Weekly feedback, accepted Sep 28 and never fed back: first chased on the first working day
    # more than 7 days later (Oct 6 is a holiday), then every working day.
    assert chase_days(a, K.FEEDBACK_MISSING)[0] == D(2026, 10, 8)
    assert chase_days(b, K.FEEDBACK_MISSING) == []  # feedback "once": nothing periodic


def test_nothing_on_days_off_and_each_reminder_once(october):
    c, _a, _b = october
    sent_days = set(Chase.objects.values_list("day", flat=True))
    assert D(2026, 10, 10) in sent_days  # the swapped working Saturday
    assert all(calendar.is_workday(d) for d in sent_days)
    assert not sent_days & set(days(D(2026, 10, 1), D(2026, 10, 7)))
    per_reminder = Counter(Chase.objects.values_list("task", "kind", "node", "day"))
    assert max(per_reminder.values()) == 1
    keys = Counter(Notification.objects.values_list("recipient", "key"))
    assert max(keys.values()) == 1
    assert Notification.objects.filter(kind__startswith="tasks.").exclude(
        kind="tasks.assigned"
    ).count() == sum(Chase.objects.values_list("recipients", flat=True))
    # Who gets what: the liaison the routine reminders, the head the escalation, the leader last.
    assert Notification.objects.filter(recipient=c.lead_liaison, kind="tasks.overdue").count() == 14
    assert Notification.objects.filter(recipient=c.lead_head, kind="tasks.escalate_head").count() == 13
    assert Notification.objects.filter(recipient=c.leader, kind="tasks.escalate_leader").count() == 10
    assert not Notification.objects.filter(recipient=c.lead_head, kind="tasks.overdue").exists()


def test_holidays_fire_when_configured(clock, settings):
    """With fire_on_holidays a day off sends too (Sat Oct 3, in the National Day holiday)."""
    clock.set(D(2026, 9, 28))
    c = make_task_county()
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    clock.set(D(2026, 10, 3))
    assert send_reminders() == {}
    settings.DUBAN_TASKS = {"fire_on_holidays": True}
    assert send_reminders() == {"overdue": 1}
    assert send_reminders() == {}
    assert chase_days(task, K.OVERDUE) == [D(2026, 10, 3)]
