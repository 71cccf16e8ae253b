"""Feedback and completion requests with files through the JSON API (multipart): the files go
through duban.attachments' checks and stay with the feedback, so a task requiring evidence can be
closed through the API too."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.attachments.models import Attachment
from duban.attachments.queries import attachments_of
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.tasks.choices import FeedbackKind, TaskStatus
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Feedback

pytestmark = pytest.mark.django_db
D = datetime.date
JSON = "application/json"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def c(clock):
    return make_task_county()


def report(name="验收报告.txt"):
    return SimpleUploadedFile(name, "项目已竣工验收，附验收意见".encode(), content_type="text/plain")


def url(task, action):
    return f"/api/v1/tasks/{task.pk}/{action}/files"


def test_evidence_through_the_api_lets_the_office_close(client, c):
    """Given a task requiring evidence, the JSON completion request is refused; the multipart one
    with the report is accepted, the report is kept with the completion request, and the office closes."""
    task = make_task(c, accept=True, requires_evidence=True, deadline=D(2026, 9, 30))
    client.force_login(c.lead_liaison)
    refused = client.post(
        f"/api/v1/tasks/{task.pk}/request-completion", {"text": "已完成"}, content_type=JSON
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["files"] == ["本事项要求上传办结佐证材料"]
    response = client.post(url(task, "request-completion"), {"text": "已完成", "files": [report()]})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == TaskStatus.COMPLETION_REQUESTED
    completion = Feedback.objects.get(task=task, kind=FeedbackKind.COMPLETION)
    assert [a.original_name for a in attachments_of(completion)] == ["验收报告.txt"]
    added = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_ADDED)
    assert added.actor == c.lead_liaison
    client.force_login(c.office)
    timeline = client.get(f"/api/v1/tasks/{task.pk}/timeline").json()
    assert [f["original_name"] for f in timeline[-1]["files"]] == ["验收报告.txt"]
    closed = client.post(
        f"/api/v1/tasks/{task.pk}/close", {"timeliness": 4, "quality": 4, "note": "好"}, content_type=JSON
    )
    assert closed.status_code == 200 and closed.json()["status"] == TaskStatus.CLOSED


def test_cooperating_unit_feeds_back_with_two_files(client, c):
    task = make_task(c, accept=True)
    client.force_login(c.coop_liaison)
    response = client.post(
        url(task, "feedback"), {"text": "已对接", "progress": 40, "files": [report("a.txt"), report("b.txt")]}
    )
    assert response.status_code == 200, response.content
    feedback = Feedback.objects.get(task=task, kind=FeedbackKind.PROGRESS)
    assert (feedback.unit, feedback.progress) == (c.coop, 40)
    assert sorted(a.original_name for a in attachments_of(feedback)) == ["a.txt", "b.txt"]


def test_a_refused_file_saves_nothing_and_says_why_in_chinese(client, c):
    """One file of an unsupported type: 422 naming the file, no feedback, no attachment, no move."""
    task = make_task(c, accept=True, requires_evidence=True)
    client.force_login(c.lead_liaison)
    bad = SimpleUploadedFile(
        "工具.exe", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/octet-stream"
    )
    response = client.post(url(task, "request-completion"), {"text": "已完成", "files": [report(), bad]})
    assert response.status_code == 422
    assert response.json()["errors"]["files"] == ["工具.exe：不支持的文件类型"]
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    assert not Feedback.objects.filter(task=task).exists() and not Attachment.objects.exists()


def test_tasks_the_caller_is_not_on_are_404(client, c):
    task = make_task(c, accept=True)
    client.force_login(c.other_liaison)
    assert client.post(url(task, "feedback"), {"text": "x", "files": [report()]}).status_code == 404
    client.force_login(c.lead_liaison)
    assert client.post(url(task, "close"), {"text": "x", "files": [report()]}).status_code == 404
    assert (
        client.post("/api/v1/tasks/987654/feedback/files", {"text": "x", "files": [report()]}).status_code
        == 404
    )
    assert not Attachment.objects.exists()


def test_a_closed_task_takes_no_feedback_with_files(client, c):
    task = make_task(c, accept=True)
    client.force_login(c.lead_liaison)
    client.post(url(task, "request-completion"), {"text": "完成", "files": [report()]})
    client.force_login(c.office)
    client.post(f"/api/v1/tasks/{task.pk}/close", {"timeliness": 3, "quality": 3}, content_type=JSON)
    client.force_login(c.lead_liaison)
    response = client.post(url(task, "feedback"), {"text": "补充", "files": [report("补充.txt")]})
    assert response.status_code == 422
    assert Attachment.objects.count() == 1
