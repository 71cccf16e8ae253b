"""A liaison sees a reminder: the bell count in the header, the home section, the list; marks it read.
The owner of a running background job watches its page update by itself until it is done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import PASSWORD, make_user_with_role
from duban.jobs.models import Job, JobStatus
from duban.notifications import services
from duban.org.factories import make_county, make_unit

from .helpers import horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def liaison():
    unit = make_unit("商务局", region=make_county("示范县"))
    return make_user_with_role(Role.UNIT_LIAISON, unit=unit, username="liaison1")


def test_a_liaison_sees_a_reminder_in_the_bell_and_the_list_and_marks_it_read(
    page, live_server, liaison, shoot
):
    services.notify(
        [liaison],
        kind="tasks.reminder",
        title="督办事项「招商签约」明天到期",
        body="请在明天下班前提交进展反馈。",
        url=reverse("notifications:list"),
        target=liaison.unit,
    )
    log_in(page, "liaison1", PASSWORD)

    assert page.get_by_test_id("bell-count").inner_text() == "1"
    assert "督办事项「招商签约」明天到期" in page.locator("#home-notifications").inner_text()

    page.click("#bell")
    page.wait_for_url(f"**{reverse('notifications:list')}")
    row = page.locator("li.notification.unread")
    assert row.count() == 1
    assert "请在明天下班前提交进展反馈" in row.inner_text()
    assert horizontal_overflow(page) == 0
    shoot(page, "notifications-list")

    row.get_by_role("button", name="标为已读").click()
    page.locator("li.notification.unread").wait_for(state="detached")
    page.get_by_test_id("bell-count").wait_for(state="detached")  # the bell refreshed itself (htmx event)
    page.set_viewport_size({"width": 375, "height": 812})
    assert horizontal_overflow(page) == 0
    page.goto(reverse("notifications:settings"))
    shoot(page, "notifications-settings")
    assert horizontal_overflow(page) == 0


def test_the_job_page_follows_a_running_job_until_it_is_done(page, liaison, shoot):
    job = Job.objects.create(
        kind="sheets.import", title="导入单位名录", owner=liaison, status=JobStatus.RUNNING,
        progress_done=120, progress_total=500, log="10:00:01 读取文件：单位.xlsx\n",
    )  # fmt: skip
    log_in(page, "liaison1", PASSWORD)
    page.goto(reverse("jobs:detail", args=[job.pk]))
    assert "运行中" in page.get_by_test_id("job-status").inner_text()
    shoot(page, "job-running")

    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress_done=500, result={"新增": 500})
    page.get_by_text("已完成").wait_for(timeout=8_000)  # polled every 2 s
    assert "500 / 500" in page.locator("#job-status").inner_text()
    page.goto(reverse("jobs:list"))
    assert "导入单位名录" in page.locator("table.list").inner_text()
    shoot(page, "job-list")
