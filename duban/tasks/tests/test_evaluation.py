"""Timeliness figures per unit: the worked example of docs/tasks.md, and the ranking page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from duban.org.models import Unit
from duban.tasks import extensions, services
from duban.tasks.evaluation import unit_figures
from duban.tasks.factories import make_task, make_task_county

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


def _task(c, lead, liaison, deadline, title):
    task = make_task(c, lead_unit=lead, deadline=deadline, title=title, assign=True)
    return services.accept_task(task, actor=liaison)


def _close(c, task, liaison, requested_on, clock, closed_on=None):
    clock.set(requested_on)
    services.request_completion(task, actor=liaison, text="已完成")
    clock.set(closed_on or requested_on)
    services.close_task(task, actor=c.office, timeliness=4, quality=4)


def build_worked_example(c, clock):
    """docs/tasks.md, "Worked example": three units over September 2026 (Sep 1 is a Tuesday)."""
    A, B, C = c.lead, c.coop, c.other
    a, b, cl = c.lead_liaison, c.coop_liaison, c.other_liaison
    clock.set(D(2026, 9, 1))
    a1 = _task(c, A, a, D(2026, 9, 9), "A1")
    a2 = _task(c, A, a, D(2026, 9, 9), "A2")
    a3 = _task(c, A, a, D(2026, 9, 16), "A3")
    a4 = _task(c, A, a, D(2026, 10, 30), "A4")
    a5 = _task(c, A, a, D(2026, 10, 30), "A5")
    b1 = _task(c, B, b, D(2026, 9, 9), "B1")
    b2 = _task(c, B, b, D(2026, 9, 16), "B2")
    c1 = _task(c, C, cl, D(2026, 9, 9), "C1")
    services.cancel_task(a5, actor=c.office, reason="会议决定取消")
    clock.set(D(2026, 9, 2))
    services.add_feedback(a1, actor=a, text="A1进展")
    ext = extensions.request_extension(b2, actor=b, new_deadline=D(2026, 9, 30), reason="等待审批")
    extensions.refuse_extension(ext, actor=c.office, note="时限不变")
    clock.set(D(2026, 9, 3))
    services.add_feedback(a3, actor=a, text="A3进展")
    clock.set(D(2026, 9, 4))
    services.add_feedback(a4, actor=a, text="A4进展")
    _close(c, a1, a, D(2026, 9, 8), clock, D(2026, 9, 10))
    clock.set(D(2026, 9, 8))
    services.request_completion(a2, actor=a, text="已完成")
    services.return_task(a2, actor=c.office, reason="未见签约文本")
    _close(c, a2, a, D(2026, 9, 14), clock, D(2026, 9, 15))  # 3 working days late: 10, 11, 14
    _close(c, b1, b, D(2026, 9, 9), clock, D(2026, 9, 10))
    clock.set(D(2026, 9, 10))
    ext = extensions.request_extension(a3, actor=a, new_deadline=D(2026, 9, 18), reason="设备未到")
    extensions.approve_extension(ext, actor=c.office)
    clock.set(D(2026, 9, 10))
    services.request_completion(c1, actor=cl, text="已完成")  # a day late, not yet closed
    _close(c, b2, b, D(2026, 9, 15), clock, D(2026, 9, 16))
    clock.set(D(2026, 9, 21))
    services.add_feedback(a4, actor=a, text="A4再反馈")  # 17 days after the last: late (weekly)
    clock.set(D(2026, 9, 30))


def test_the_worked_example_of_the_docs(c_clock):
    c, clock = c_clock
    build_worked_example(c, clock)
    units = Unit.objects.filter(pk__in=[c.lead.pk, c.coop.pk, c.other.pk])
    rows = {f.unit.pk: f for f in unit_figures(units, today=D(2026, 9, 30), year=2026)}
    a, b, cl = rows[c.lead.pk], rows[c.coop.pk], rows[c.other.pk]
    assert (a.received, a.closed, a.on_time, a.overdue, a.returned, a.extensions) == (4, 2, 1, 2, 1, 1)
    assert (a.delay_total, a.average_delay, a.on_time_rate) == (3, Decimal("1.5"), Decimal("50.0"))
    assert (a.feedbacks, a.late_feedbacks, a.feedback_punctuality) == (4, 1, Decimal("75.0"))
    assert (b.received, b.on_time, b.overdue, b.extensions, b.on_time_rate) == (2, 2, 0, 0, Decimal("100.0"))
    assert b.feedback_punctuality is None and b.average_delay == Decimal("0.0")
    assert (cl.received, cl.closed, cl.overdue, cl.on_time_rate, cl.average_delay) == (1, 0, 1, None, None)
    assert [(b.rank, a.rank, cl.rank)] == [(1, 2, 3)]
    assert unit_figures(units, today=D(2026, 9, 30), year=2025) == []


@pytest.fixture
def c_clock(clock):
    return make_task_county(), clock


def test_equal_figures_share_a_rank(c_clock):
    c, clock = c_clock
    for lead, liaison in ((c.lead, c.lead_liaison), (c.coop, c.coop_liaison)):
        task = _task(c, lead, liaison, D(2026, 9, 9), f"{lead.name}事项")
        _close(c, task, liaison, D(2026, 9, 8), clock)
        clock.set(D(2026, 9, 1))
    units = Unit.objects.filter(pk__in=[c.lead.pk, c.coop.pk])
    assert [f.rank for f in unit_figures(units, today=D(2026, 9, 30))] == [1, 1]


def test_ranking_page_for_the_office_with_constant_queries(client, c_clock):
    c, clock = c_clock
    build_worked_example(c, clock)
    client.force_login(c.office)
    url = reverse("tasks:ranking") + "?year=2026"
    body = client.get(url).content.decode()
    assert "50.0%" in body and "75.0%" in body and c.coop.name in body
    before = count_queries(client, url)
    for n in range(3):
        clock.set(D(2026, 9, 30))
        make_task(c, lead_unit=c.other, title=f"补充{n}", deadline=D(2026, 10, 9), assign=True)
    assert count_queries(client, url) == before


def test_a_liaison_cannot_see_the_ranking(client, c_clock):
    c, _clock = c_clock
    client.force_login(c.lead_liaison)
    assert client.get(reverse("tasks:ranking")).status_code == 404
