"""Meetings, instructions and task terms: the office's pages and the services behind them."""

import datetime

import pytest
from django.urls import reverse

from duban.attachments.factories import image_bytes, upload
from duban.audit.models import AuditEntry
from duban.org.choices import UnitKind
from duban.org.factories import make_unit
from duban.tasks import editing, services, sources
from duban.tasks.choices import MeetingKind, TaskStatus
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Meeting, Task

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def c(clock):
    return make_task_county()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def last_entry(event: str) -> AuditEntry:
    return AuditEntry.objects.filter(event=event).latest("id")


def test_office_registers_a_meeting_and_creates_a_task_from_it(client, c):
    """Given the office, when it registers a meeting and a task from it, both are saved and linked."""
    client.force_login(c.office)
    response = client.post(
        reverse("tasks:meeting_new"),
        {
            "name": "全县经济工作会议",
            "kind": MeetingKind.COUNTY_WORK,
            "date": "2026-08-28",
            "chair": c.leader.pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("tasks:meeting_detail", args=[meeting.pk])
    assert last_entry("meeting.created").target_id == str(meeting.pk)

    data = {
        "title": "年前签约项目",
        "lead_unit": c.lead.pk,
        "cooperating_units": [c.coop.pk],
        "leader_in_charge": c.leader.pk,
        "deadline": "2026-09-30",
        "nodes": "2026-09-15 完成洽谈",
        "feedback_frequency": "weekly",
        "category": "investment",
        "priority": "important",
        "requires_evidence": "on",
    }
    client.post(reverse("tasks:task_new") + f"?meeting={meeting.pk}", data)
    task = Task.objects.get()
    assert (task.meeting, task.status, task.requires_evidence) == (meeting, TaskStatus.DRAFT, True)
    assert [(n.title, n.due_date) for n in task.nodes.all()] == [("完成洽谈", D(2026, 9, 15))]
    page = client.get(reverse("tasks:meeting_detail", args=[meeting.pk])).content.decode()
    assert "年前签约项目" in page and "待交办 1" in page
    assert "登记会议" in page and "新建督办事项" not in page.split("变更记录")[1]  # its own history only


def test_a_holiday_deadline_offers_the_next_working_day_and_saves_nothing(client, c):
    client.force_login(c.office)
    data = {"title": "国庆值守", "lead_unit": c.lead.pk, "deadline": "2026-10-03"}
    data |= {"feedback_frequency": "weekly", "category": "other", "priority": "normal"}
    body = client.post(reverse("tasks:task_new"), data).content.decode()
    assert "截止日期为节假日，建议改为2026年10月8日" in body
    assert 'name="deadline" value="2026-10-08"' in body  # the button that takes the suggestion
    assert not Task.objects.exists()
    client.post(reverse("tasks:task_new"), {**data, "deadline": ["2026-10-03", "2026-10-08"]})
    assert Task.objects.get().deadline == D(2026, 10, 8)


def test_units_outside_the_county_are_refused(c):
    foreign = make_unit("外县单位")
    with pytest.raises(Exception) as exc:
        services.create_task(actor=c.office, title="x", lead_unit=c.lead, cooperating_units=[foreign],
                             deadline=D(2026, 9, 30))  # fmt: skip
    assert "不在本县范围内" in str(exc.value)
    assert not Task.objects.exists()


def test_a_draft_changes_freely_but_an_assigned_task_keeps_its_deadline(c):
    task = make_task(c, deadline=D(2026, 9, 30))
    editing.update_task(
        task, actor=c.office, title="新名称", deadline=D(2026, 10, 9), nodes=[("节点", D(2026, 9, 20))]
    )
    task.refresh_from_db()
    assert (task.title, task.deadline, task.original_deadline) == ("新名称", D(2026, 10, 9), D(2026, 10, 9))
    entry = last_entry("task.changed")
    assert entry.changes["title"][1] == "新名称" and "time_nodes" in entry.changes

    services.assign_task(task, actor=c.office)
    with pytest.raises(Exception) as exc:
        editing.update_task(task, actor=c.office, deadline=D(2026, 10, 30))
    assert "延期申请" in str(exc.value)
    editing.update_task(task, actor=c.office, deadline=D(2026, 10, 9), cooperating_units=[c.other])
    assert [u.unit for u in task.cooperations.all()] == [c.other]
    assert last_entry("task.changed").changes["cooperating_units"][1] == [c.other.name]


def test_meeting_and_instruction_edits_are_audited(c):
    meeting = sources.create_meeting(actor=c.office, name="常务会", kind="executive", date=D(2026, 8, 1))
    sources.update_meeting(meeting, actor=c.office, name="第5次常务会", kind="executive", date=D(2026, 8, 1))
    assert last_entry("meeting.changed").changes == {"name": ["常务会", "第5次常务会"]}
    ins = sources.create_instruction(actor=c.office, leader=c.leader, date=D(2026, 8, 2), text="抓紧")
    sources.update_instruction(ins, actor=c.office, leader=c.leader, date=D(2026, 8, 3), text="抓紧")
    assert last_entry("instruction.changed").changes == {"date": ["2026-08-02", "2026-08-03"]}
    with pytest.raises(Exception):
        sources.update_meeting(meeting, actor=c.lead_liaison, name="x", kind="executive", date=D(2026, 8, 1))


def test_split_into_every_town_of_the_county(client, c):
    towns = [make_unit(f"{n}镇", region=c.region, kind=UnitKind.TOWN) for n in ("东", "西")]
    task = make_task(c, title="村内通道路", cooperating_units=[])
    client.force_login(c.office)
    client.post(reverse("tasks:task_split", args=[task.pk]), {"group": "towns"})
    subs = list(task.subtasks.order_by("id"))
    assert [s.lead_unit for s in subs] == towns
    assert all(s.status == TaskStatus.DRAFT and s.meeting_id == task.meeting_id for s in subs)


def test_bulk_assign_is_all_or_nothing(client, c, clock):
    good = make_task(c, deadline=D(2026, 9, 10))
    late = make_task(c, deadline=D(2026, 9, 3))
    clock.set(D(2026, 9, 4))  # `late` now has a deadline in the past: assigning it is refused
    client.force_login(c.office)
    response = client.post(reverse("tasks:bulk_assign"), {"task": [good.pk, late.pk]}, follow=True)
    assert "截止日期不能早于今天" in response.content.decode()
    assert set(Task.objects.values_list("status", flat=True)) == {TaskStatus.DRAFT}
    client.post(reverse("tasks:bulk_assign"), {"task": [good.pk]})
    good.refresh_from_db()
    assert good.status == TaskStatus.ASSIGNED
    assert last_entry("task.assigned").target_id == str(good.pk)


def test_a_liaison_cannot_open_the_office_pages(client, c):
    task = make_task(c, assign=True)
    client.force_login(c.lead_liaison)
    assert client.get(reverse("tasks:task_edit", args=[task.pk])).status_code == 404
    assert client.get(reverse("tasks:meeting_new")).status_code == 404
    client.post(reverse("tasks:bulk_assign"), {"task": [task.pk]})
    assert Task.objects.get().status == TaskStatus.ASSIGNED


def test_feedback_photos_show_in_the_timeline(client, c, media):
    task = make_task(c, accept=True)
    client.force_login(c.lead_liaison)
    photo = upload("现场.jpg", image_bytes(), "image/jpeg")
    client.post(
        reverse("tasks:action", args=[task.pk, "feedback"]),
        {"feedback-text": "已开工", "feedback-progress": "30", "feedback-files": photo},
    )
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "已开工" in page and 'alt="现场.jpg"' in page


def test_meeting_page_queries_do_not_grow_with_tasks(client, c):
    meeting = sources.create_meeting(actor=c.office, name="会", kind="executive", date=D(2026, 8, 1))
    make_task(c, meeting=meeting, assign=True)
    client.force_login(c.office)
    url = reverse("tasks:meeting_detail", args=[meeting.pk])
    small = count_queries(client, url)
    for _ in range(6):
        make_task(c, meeting=meeting, accept=True)
    assert count_queries(client, url) == small
    listed = count_queries(client, reverse("tasks:meeting_list"))
    for n in range(3):
        sources.create_meeting(actor=c.office, name=f"会{n}", kind="special", date=D(2026, 8, 2))
    assert count_queries(client, reverse("tasks:meeting_list")) == listed
