"""The full loop of a supervised task in the browser: the office registers a meeting, creates a
task from it (the holiday deadline is offered the next working day) and assigns it; the lead
unit's liaison accepts it on a phone, feeds back with a photo and requests completion; the
office closes it with its ratings. Screenshots at 1366x768 and 375 px under /tmp/shots."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.accounts.factories import PASSWORD
from duban.attachments.factories import image_bytes
from duban.core import calendar
from duban.tasks.choices import TaskStatus
from duban.tasks.factories import make_task_county
from duban.tasks.models import Meeting, Task

from .conftest import DESKTOP, PHONE
from .helpers import horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    # The login form itself (the page also has the language switch's form).
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click(f"form[action='{reverse('accounts:login')}'] button[type=submit]")


def first_day_off_after(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while calendar.is_workday(day):
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def county(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return make_task_county("示范县")


def new_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_office_and_liaison_run_a_task_from_meeting_to_closing(browser, live_server, page, county, shoot):
    c = county
    # The office registers the meeting.
    log_in(page, c.office.username)
    page.goto(reverse("tasks:meeting_new"))
    page.fill("#id_name", "全县年终工作推进会")
    page.select_option("#id_kind", label="全县工作会议")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.select_option("#id_chair", index=1)
    page.fill("#id_minutes", "一、年前签约项目不少于5个。")
    page.click("form.card button[type=submit]")
    page.get_by_role("link", name="从本次会议新建督办事项").click()

    # A task from it; a deadline on a day off is refused and the next working day offered.
    day_off = first_day_off_after(calendar.add_working_days(timezone.localdate(), 5))
    page.fill("#id_title", "年前签约项目不少于5个")
    page.fill("#id_requirement", "逐个项目明确责任人，每周反馈洽谈进展。")
    page.select_option("#id_lead_unit", label=c.lead.name)
    page.select_option("#id_cooperating_units", label=[c.coop.name])
    page.select_option("#id_leader_in_charge", index=1)
    page.fill("#id_deadline", day_off.isoformat())
    page.select_option("#id_category", label="招商引资")
    page.click("form.card button[type=submit] >> text=保存")
    assert "截止日期为节假日，建议改为" in page.locator(".field.has-error").inner_text()
    assert not Task.objects.exists()
    shoot(page, "tasks-form-holiday")
    page.get_by_role("button", name="并保存").click()
    task = Task.objects.get()
    assert task.deadline == calendar.next_workday(day_off) and task.meeting == Meeting.objects.get()

    page.click("#action-assign button[type=submit]")
    assert page.locator(".msg-success").inner_text().strip() == "已交办"
    shoot(page, "tasks-page-office")

    # The liaison works from a phone.
    phone = new_page(browser, live_server, PHONE)
    log_in(phone, c.lead_liaison.username)
    phone.goto(reverse("tasks:inbox"))
    assert "年前签约项目不少于5个" in phone.locator("section.card", has_text="待签收").inner_text()
    assert horizontal_overflow(phone) == 0
    phone.screenshot(path="/tmp/shots/tasks-inbox-phone-375.png", full_page=True)
    phone.get_by_role("link", name="年前签约项目不少于5个").click()
    phone.click("#action-accept button[type=submit]")
    phone.fill("#id_feedback-text", "已与3家企业完成洽谈。")
    phone.fill("#id_feedback-progress", "40")
    phone.set_input_files(
        "#id_feedback-files", {"name": "洽谈现场.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}
    )
    phone.click("#action-feedback button[type=submit]")
    photo = phone.locator("ul.feedback-files img")
    photo.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert horizontal_overflow(phone) == 0
    phone.screenshot(path="/tmp/shots/tasks-page-liaison-375.png", full_page=True)
    phone.click("#action-request_completion summary")
    phone.fill("#id_request_completion-text", "5个项目已全部签约。")
    phone.click("#action-request_completion button[type=submit]")
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETION_REQUESTED, 40)

    # The office sees the request waiting and closes the task.
    page.goto(reverse("tasks:inbox"))
    page.get_by_role("link", name="年前签约项目不少于5个").click()
    page.select_option("#id_close-timeliness", label="优秀")
    page.select_option("#id_close-quality", label="良好")
    page.click("#action-close button[type=submit]")
    task.refresh_from_db()
    assert (task.status, task.delay_working_days, task.quality_rating) == (TaskStatus.CLOSED, 0, 3)
    page.set_viewport_size(DESKTOP)
    shoot(page, "tasks-page-closed")
    page.goto(reverse("tasks:meeting_detail", args=[task.meeting_id]))
    assert "已办结 1" in page.locator("main").inner_text()
    shoot(page, "tasks-meeting")
