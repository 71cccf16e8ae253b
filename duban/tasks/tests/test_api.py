"""/api/v1/meetings and /api/v1/tasks: the same policy, filters and services as the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.audit.models import AuditEntry
from duban.tasks import extensions, services, sources
from duban.tasks.choices import TaskStatus
from duban.tasks.factories import make_task, make_task_county

pytestmark = pytest.mark.django_db
D = datetime.date
JSON = "application/json"


@pytest.fixture
def c(clock):
    return make_task_county()


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def test_the_full_loop_through_the_api(client, c):
    """Office creates and assigns; the liaison accepts, feeds back and requests completion; closed."""
    client.force_login(c.office)
    meeting = post(client, "/api/v1/meetings", {"name": "年终工作会", "kind": "county_work", "date": "2026-08-30",
                                                "chair": c.leader.pk})  # fmt: skip
    assert meeting.status_code == 201
    payload = {
        "title": "年前签约",
        "meeting": meeting.json()["id"],
        "lead_unit": c.lead.pk,
        "cooperating_units": [c.coop.pk],
        "deadline": "2026-09-30",
        "category": "investment",
        "nodes": [{"title": "完成洽谈", "due_date": "2026-09-15"}],
    }
    created = post(client, "/api/v1/tasks", payload)
    assert created.status_code == 201, created.json()
    task_id = created.json()["id"]
    assert created.json()["nodes"][0]["title"] == "完成洽谈"
    assert post(client, f"/api/v1/tasks/{task_id}/assign").json()["status"] == TaskStatus.ASSIGNED

    client.force_login(c.lead_liaison)
    post(client, f"/api/v1/tasks/{task_id}/accept")
    body = post(client, f"/api/v1/tasks/{task_id}/feedback", {"text": "洽谈中", "progress": 40}).json()
    assert (body["status"], body["progress"]) == (TaskStatus.IN_PROGRESS, 40)
    post(client, f"/api/v1/tasks/{task_id}/request-completion", {"text": "已签约"})

    client.force_login(c.office)
    closed = post(client, f"/api/v1/tasks/{task_id}/close", {"timeliness": 4, "quality": 3}).json()
    assert (closed["status"], closed["delay_working_days"]) == (TaskStatus.CLOSED, 0)
    assert AuditEntry.objects.filter(event="task.closed", target_id=str(task_id)).exists()
    timeline = client.get(f"/api/v1/tasks/{task_id}/timeline").json()
    assert [i["kind"] for i in timeline] == ["feedback.progress", "feedback.completion"]
    detail = client.get(f"/api/v1/meetings/{meeting.json()['id']}").json()
    assert detail["status_counts"] == {"closed": 1} and detail["tasks"][0]["id"] == task_id


def test_a_foreign_liaison_gets_404(client, c):
    task = make_task(c, assign=True)
    client.force_login(c.other_liaison)
    assert client.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert client.get(f"/api/v1/tasks/{task.pk}/timeline").status_code == 404
    response = post(client, f"/api/v1/tasks/{task.pk}/accept")
    assert response.status_code == 404 and response.json()["detail"] == "未找到"
    assert client.get("/api/v1/tasks").json()["count"] == 0


def test_a_wrong_state_transition_is_422_in_chinese(client, c):
    task = make_task(c, assign=True)
    client.force_login(c.office)
    response = post(client, f"/api/v1/tasks/{task.pk}/close", {"timeliness": 4, "quality": 4})
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"] == ["事项当前为“待签收”，不能办结"]
    assert post(client, f"/api/v1/tasks/{task.pk}/fly").status_code == 404


def test_bad_input_is_422_and_nothing_saved(client, c):
    client.force_login(c.office)
    payload = {"title": "国庆值守", "lead_unit": c.lead.pk, "deadline": "2026-10-03"}
    response = post(client, "/api/v1/tasks", payload)
    assert response.status_code == 422
    assert response.json()["errors"]["deadline"] == ["截止日期为节假日，建议改为2026年10月8日"]
    assert client.get("/api/v1/tasks").json()["count"] == 0


def test_extension_requested_and_refused_through_the_api(client, c):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    client.force_login(c.lead_liaison)
    body = post(client, f"/api/v1/tasks/{task.pk}/request-extension",
                {"new_deadline": "2026-10-09", "reason": "设备未到"}).json()  # fmt: skip
    ext_id = body["extensions"][0]["id"]
    assert (
        post(client, f"/api/v1/tasks/{task.pk}/approve-extension", {"extension": ext_id}).status_code == 403
    )
    client.force_login(c.office)
    refused = post(
        client, f"/api/v1/tasks/{task.pk}/refuse-extension", {"extension": ext_id, "note": "不同意"}
    )
    assert refused.json()["extensions"][0]["status"] == "refused"
    assert refused.json()["deadline"] == "2026-09-30"


def test_list_uses_the_board_filter_with_constant_queries(client, c):
    meeting = sources.create_meeting(actor=c.office, name="会", kind="executive", date=D(2026, 8, 1))
    make_task(c, meeting=meeting, assign=True, category="investment")
    make_task(c, assign=True)
    client.force_login(c.office)
    body = client.get(f"/api/v1/tasks?meeting={meeting.pk}&category=investment").json()
    assert body["count"] == 1 and body["items"][0]["light"] == "green"
    assert client.get("/api/v1/tasks?status=bogus").status_code == 422

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/tasks").status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for _ in range(5):
        t = make_task(c, accept=True)
        ext = extensions.request_extension(t, actor=c.lead_liaison, new_deadline=D(2026, 10, 9), reason="x")
        extensions.approve_extension(ext, actor=c.office)
        services.add_feedback(t, actor=c.lead_liaison, text="y")
    assert queries() == small
