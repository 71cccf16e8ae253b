"""The inbox, the board and the task page over HTTP: content, moves, and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.tasks import services
from duban.tasks.choices import TaskStatus
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Task

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def c(clock):
    return make_task_county()


def count_queries(client, url):
    """Queries of a warm request: the first fills process-wide caches (content types, calendar)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_liaison_accepts_and_feeds_back_from_the_task_page(client, c):
    task = make_task(c, assign=True)
    client.force_login(c.lead_liaison)
    body = client.get(reverse("tasks:inbox")).content.decode()
    assert "待签收" in body and task.title in body

    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "签收" in page and "办结</button>" not in page
    client.post(reverse("tasks:action", args=[task.pk, "accept"]))
    client.post(
        reverse("tasks:action", args=[task.pk, "feedback"]),
        {"feedback-text": "已启动", "feedback-progress": "20"},
    )
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 20)


def test_bad_input_is_shown_and_nothing_saved(client, c):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    client.force_login(c.lead_liaison)
    response = client.post(
        reverse("tasks:action", args=[task.pk, "request_extension"]),
        {"request_extension-new_deadline": "2026-10-03", "request_extension-reason": "征地"},
        follow=True,
    )
    assert "截止日期为节假日，建议改为2026年10月8日" in response.content.decode()
    assert not task.extensions.exists()


def test_a_liaison_cannot_close(client, c):
    task = make_task(c, accept=True)
    services.request_completion(task, actor=c.lead_liaison, text="完成")
    client.force_login(c.lead_liaison)
    client.post(
        reverse("tasks:action", args=[task.pk, "close"]), {"close-timeliness": "4", "close-quality": "4"}
    )
    assert Task.objects.get().status == TaskStatus.COMPLETION_REQUESTED


def test_board_filters_and_counts_lights(client, c, clock):
    late = make_task(c, assign=True, title="逾期事项", deadline=D(2026, 9, 8))
    make_task(c, assign=True, title="正常事项", deadline=D(2026, 12, 31))
    clock.set(D(2026, 9, 10))
    client.force_login(c.office)
    body = client.get(reverse("tasks:board"), {"light": "red"}).content.decode()
    assert late.title in body and "正常事项" not in body
    assert "红灯 1" in body


@pytest.mark.parametrize("name", ["inbox", "board", "detail"])
def test_query_count_does_not_grow_with_rows(client, c, name):
    def url(task):
        return reverse(f"tasks:{name}", args=[task.pk]) if name == "detail" else reverse(f"tasks:{name}")

    user = c.office if name == "board" else c.lead_liaison
    client.force_login(user)
    first = make_task(c, accept=True, nodes=[("节点", D(2026, 9, 15))])
    services.add_feedback(first, actor=c.lead_liaison, text="一")
    small = count_queries(client, url(first))
    for i in range(8):
        t = make_task(c, accept=True)
        services.add_feedback(first, actor=c.lead_liaison, text=f"反馈{i}")
        services.chase_task(t, actor=c.office, note="催")
    assert count_queries(client, url(first)) == small


def test_home_section_lists_what_waits_for_the_liaison(client, c):
    task = make_task(c, assign=True)
    client.force_login(c.lead_liaison)
    body = client.get(reverse("core:home")).content.decode()
    assert "待办督办事项" in body and task.title in body
