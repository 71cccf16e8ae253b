"""The deadline calendar: a month's deadlines and undone nodes of the tasks one may see."""

import datetime

import pytest
from django.urls import reverse

from duban.tasks.factories import make_task, make_task_county

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def c(clock):
    return make_task_county()


def test_a_liaison_sees_the_deadlines_and_nodes_of_its_tasks_by_day(client, c):
    make_task(c, title="签约事项", accept=True, deadline=D(2026, 10, 9), nodes=[("完成洽谈", D(2026, 10, 8))])
    make_task(
        c, title="别家的事项", lead_unit=c.other, cooperating_units=[], assign=True, deadline=D(2026, 10, 9)
    )
    client.force_login(c.lead_liaison)
    body = client.get(reverse("tasks:calendar"), {"month": "2026-10"}).content.decode()
    assert "2026年10月督办日历" in body
    assert "签约事项" in body and "完成洽谈" in body and "别家的事项" not in body
    assert body.index("2026年10月8日") < body.index("2026年10月9日")
    assert "本月没有办结时限" in client.get(reverse("tasks:calendar"), {"month": "2026-12"}).content.decode()
    assert client.get(reverse("tasks:calendar"), {"month": "bogus"}).status_code == 200


def test_calendar_queries_do_not_grow_with_tasks(client, c):
    client.force_login(c.office)
    make_task(c, accept=True, deadline=D(2026, 10, 9), nodes=[("节点", D(2026, 10, 8))])
    url = reverse("tasks:calendar") + "?month=2026-10"
    small = count_queries(client, url)
    for n in range(5):
        make_task(c, accept=True, deadline=D(2026, 10, 12 + n), nodes=[("节点", D(2026, 10, 8))])
    assert count_queries(client, url) == small
