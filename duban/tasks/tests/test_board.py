"""The board: running work first, stopped tasks grey, the leader filter offers the county's leaders."""

import datetime

import pytest
from django.urls import reverse

from duban.tasks import services
from duban.tasks.factories import make_task, make_task_county

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def c(clock):
    return make_task_county()


def test_running_tasks_come_first_and_stopped_ones_are_grey(client, c, clock):
    closed = make_task(c, title="已办结事项", accept=True, deadline=D(2026, 9, 3))
    services.request_completion(closed, actor=c.lead_liaison, text="完成")
    services.close_task(closed, actor=c.office, timeliness=4, quality=4)
    cancelled = make_task(c, title="已撤销事项", assign=True, deadline=D(2026, 9, 3))
    services.cancel_task(cancelled, actor=c.office, reason="不再督办")
    make_task(c, title="办理中事项", accept=True, deadline=D(2026, 9, 30))
    clock.set(D(2026, 9, 10))
    client.force_login(c.office)
    body = client.get(reverse("tasks:board")).content.decode()
    assert body.index("办理中事项") < body.index("已办结事项") and body.index("办理中事项") < body.index(
        "已撤销事项"
    )
    grey = client.get(reverse("tasks:board"), {"light": "grey"}).content.decode()
    assert "已撤销事项" in grey and "办理中事项" not in grey
    assert "红灯 0" in body  # the cancelled task, past its deadline, is not counted as overdue


def test_the_leader_filter_lists_the_county_leaders(client, c):
    make_task(c, title="县长督办", leader_in_charge=c.leader, assign=True)
    make_task(c, title="无领导事项", assign=True)
    client.force_login(c.office)
    body = client.get(reverse("tasks:board"), {"leader_in_charge": c.leader.pk}).content.decode()
    assert f'<option value="{c.leader.pk}" selected>{c.leader.display_name}</option>' in body
    assert "县长督办" in body and "无领导事项" not in body
    assert client.get("/api/v1/tasks", {"leader_in_charge": c.lead_liaison.pk}).status_code == 422
