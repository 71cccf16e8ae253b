"""Who sees and works on which task (rule tasks.Task in duban/accounts/policy/)."""

import pytest
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Meeting, Task
from duban.tasks.sources import create_meeting

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Task.objects.visible_to(user).values_list("pk", flat=True))


def test_office_and_leader_see_all_units_only_their_assigned_tasks():
    """Given a draft and an assigned task, the office and the leader see both; the lead and
    cooperating units see the assigned one; another unit of the county sees neither."""
    c = make_task_county()
    draft = make_task(c)
    assigned = make_task(c, assign=True)

    assert visible(c.office) == {draft.pk, assigned.pk}
    assert visible(c.leader) == {draft.pk, assigned.pk}
    assert visible(c.lead_liaison) == {assigned.pk}
    assert visible(c.lead_head) == {assigned.pk}
    assert visible(c.coop_liaison) == {assigned.pk}
    assert visible(c.other_liaison) == set()


def test_public_task_is_read_by_the_whole_county_but_not_changed():
    c = make_task_county()
    task = make_task(c, assign=True, is_public=True)
    foreign = make_task_county()

    assert task.pk in visible(c.other_liaison)
    assert task.pk not in set(Task.objects.visible_to(c.other_liaison, "change").values_list("pk", flat=True))
    assert task.pk not in visible(foreign.lead_liaison)
    assert task.pk not in visible(foreign.office)


def test_another_units_task_page_is_404(client):
    c = make_task_county()
    task = make_task(c, assign=True)
    client.force_login(c.other_liaison)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    client.force_login(c.lead_liaison)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 200


def test_a_unit_reads_the_meeting_that_produced_its_task_only():
    c = make_task_county()
    meeting = create_meeting(
        actor=c.office, name="全县经济工作会议", kind="county_work", date=c.region.created_at.date()
    )
    make_task(c, assign=True, meeting=meeting)
    other_meeting = create_meeting(actor=c.office, name="专题会议", kind="special", date=meeting.date)

    assert list(Meeting.objects.visible_to(c.lead_liaison)) == [meeting]
    assert list(Meeting.objects.visible_to(c.other_liaison)) == []
    assert set(Meeting.objects.visible_to(c.leader)) == {meeting, other_meeting}
    assert list(Meeting.objects.visible_to(c.lead_liaison, "change")) == []


def test_inspector_sees_no_tasks():
    c = make_task_county()
    make_task(c, assign=True)
    inspector = make_user_with_role(Role.INSPECTOR, region=c.region, unit=c.other)
    assert visible(inspector) == set()
