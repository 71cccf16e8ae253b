"""Extensions ruled by the office, then by the leader in charge when
DUBAN_TASKS["extension_leader_approval"] is on (default off: the office decides alone)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.notifications.models import Notification
from duban.tasks import extensions
from duban.tasks.choices import ExtensionStatus
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import ExtensionRequest
from duban.tasks.queries import inbox_for

pytestmark = pytest.mark.django_db
D = datetime.date
JSON = "application/json"


@pytest.fixture
def c(clock):
    return make_task_county()


@pytest.fixture
def two_step(settings):
    settings.DUBAN_TASKS = {"extension_leader_approval": True}


def entries(event):
    return AuditEntry.objects.filter(event=event)


def asked(c, **kwargs):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30), leader_in_charge=c.leader, **kwargs)
    ext = extensions.request_extension(
        task, actor=c.lead_liaison, new_deadline=D(2026, 10, 16), reason="征地"
    )
    return task, ext


def test_by_default_the_office_decides_alone(c):
    """Given the setting off, the office's approval is final even with a leader in charge named."""
    task, ext = asked(c)
    extensions.approve_extension(ext, actor=c.office, note="同意")
    task.refresh_from_db()
    assert (task.deadline, task.extension_count) == (D(2026, 10, 16), 1)
    assert ExtensionRequest.objects.get().status == ExtensionStatus.APPROVED
    assert not entries(AuditEvent.EXTENSION_FORWARDED).exists()
    assert not Notification.objects.filter(recipient=c.leader).exists()


def test_two_steps_office_then_leader_moves_the_deadline_only_at_the_end(c, two_step):
    """Given the setting on, the office's approval passes the request to the leader in charge (audited,
    notified, deadline unchanged); only the leader's approval moves the deadline and tells the unit."""
    task, ext = asked(c)
    with pytest.raises(PermissionDenied):
        extensions.approve_extension(ext, actor=c.leader)  # not the leader's step yet
    extensions.approve_extension(ext, actor=c.office, note="拟同意")
    ext.refresh_from_db()
    task.refresh_from_db()
    assert (ext.status, ext.office_decided_by, ext.office_note) == (
        ExtensionStatus.PENDING_LEADER,
        c.office,
        "拟同意",
    )
    assert (task.deadline, task.extension_count) == (D(2026, 9, 30), 0)
    forwarded = entries(AuditEvent.EXTENSION_FORWARDED).get()
    assert (forwarded.actor, forwarded.reason) == (c.office, "拟同意")
    assert Notification.objects.filter(recipient=c.leader, kind="tasks.extension_to_leader").count() == 1
    assert not Notification.objects.filter(recipient=c.lead_liaison, kind="tasks.extension_decided").exists()
    with pytest.raises(ValidationError):  # one open request at a time, the leader's step included
        extensions.request_extension(task, actor=c.lead_liaison, new_deadline=D(2026, 10, 20), reason="再延")
    with pytest.raises(PermissionDenied):
        extensions.approve_extension(ext, actor=c.office)  # the office has had its say
    extensions.approve_extension(ext, actor=c.leader, note="同意")
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (task.deadline, task.original_deadline, task.extension_count) == (
        D(2026, 10, 16),
        D(2026, 9, 30),
        1,
    )
    assert (ext.status, ext.decided_by) == (ExtensionStatus.APPROVED, c.leader)
    approved = entries(AuditEvent.EXTENSION_APPROVED).get()
    assert approved.actor == c.leader and approved.changes["deadline"] == ["2026-09-30", "2026-10-16"]
    assert Notification.objects.filter(recipient=c.lead_liaison, kind="tasks.extension_decided").count() == 1
    assert Notification.objects.filter(recipient=c.office, kind="tasks.extension_decided").count() == 1
    with pytest.raises(ValidationError):
        extensions.refuse_extension(ext, actor=c.leader, note="改主意")


def test_refused_by_the_office_never_reaches_the_leader(c, two_step):
    _task, ext = asked(c)
    extensions.refuse_extension(ext, actor=c.office, note="理由不充分")
    ext.refresh_from_db()
    assert (ext.status, ext.decided_by) == (ExtensionStatus.REFUSED, c.office)
    assert not Notification.objects.filter(recipient=c.leader).exists()
    with pytest.raises(ValidationError):
        extensions.approve_extension(ext, actor=c.office)


def test_refused_by_the_leader_keeps_the_deadline(c, two_step):
    task, ext = asked(c)
    extensions.approve_extension(ext, actor=c.office)
    other_leader = make_user_with_role(Role.COUNTY_LEADER, region=c.region)
    with pytest.raises(PermissionDenied):  # only the leader in charge of this task
        extensions.refuse_extension(ext, actor=other_leader, note="不同意")
    with pytest.raises(ValidationError):
        extensions.refuse_extension(ext, actor=c.leader, note="")
    extensions.refuse_extension(ext, actor=c.leader, note="节点不能后移")
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (task.deadline, task.extension_count) == (D(2026, 9, 30), 0)
    assert (ext.status, ext.decided_by, ext.decision_note) == (
        ExtensionStatus.REFUSED,
        c.leader,
        "节点不能后移",
    )
    assert entries(AuditEvent.EXTENSION_REFUSED).get().actor == c.leader


def test_without_a_leader_in_charge_the_office_decides_alone(c, two_step):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    ext = extensions.request_extension(
        task, actor=c.lead_liaison, new_deadline=D(2026, 10, 16), reason="征地"
    )
    extensions.approve_extension(ext, actor=c.office)
    assert ExtensionRequest.objects.get().status == ExtensionStatus.APPROVED


def test_page_shows_the_step_and_the_buttons_to_the_right_person(client, c, two_step):
    """The office sees 同意并报分管领导审批; then the leader sees the buttons and the office does not."""
    task, ext = asked(c)
    url = reverse("tasks:detail", args=[task.pk])
    decide = reverse("tasks:extension_decide", args=[task.pk, ext.pk])
    client.force_login(c.leader)
    assert decide not in client.get(url).content.decode()
    client.force_login(c.office)
    page = client.get(url).content.decode()
    assert decide in page and "同意并报分管领导审批" in page
    client.post(decide, {"decision": "approve", "note": "拟同意"})
    page = client.get(url).content.decode()
    assert "待分管领导审批" in page and decide not in page
    client.force_login(c.leader)
    page = client.get(url).content.decode()
    assert decide in page and "督查室同意" in page and "拟同意" in page
    assert task in inbox_for(c.leader)["to_decide"]
    assert "待我审批的延期申请" in client.get(reverse("tasks:inbox")).content.decode()
    client.post(decide, {"decision": "approve"})
    task.refresh_from_db()
    assert task.deadline == D(2026, 10, 16)


def test_api_follows_the_same_steps(client, c, two_step):
    task, ext = asked(c)
    url = f"/api/v1/tasks/{task.pk}/"
    client.force_login(c.leader)
    assert client.post(url + "approve-extension", {"extension": ext.pk}, content_type=JSON).status_code == 403
    client.force_login(c.office)
    body = client.post(url + "approve-extension", {"extension": ext.pk}, content_type=JSON).json()
    assert (body["extensions"][0]["status"], body["deadline"]) == ("pending_leader", "2026-09-30")
    assert client.post(url + "approve-extension", {"extension": ext.pk}, content_type=JSON).status_code == 403
    client.force_login(c.leader)
    timeline = client.get(url + "timeline").json()
    assert [i["kind"] for i in timeline] == ["extension.requested", "extension.forwarded"]
    body = client.post(
        url + "refuse-extension", {"extension": ext.pk, "note": "不同意"}, content_type=JSON
    ).json()
    assert (body["extensions"][0]["status"], body["deadline"]) == ("refused", "2026-09-30")
