"""The task workflow: one service per move, each checked, audited and notifying."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.notifications.models import Notification
from duban.tasks import extensions, services
from duban.tasks.choices import CoopState, ExtensionStatus, TaskStatus
from duban.tasks.factories import make_task, make_task_county
from duban.tasks.models import Chase, ExtensionRequest, Feedback, Task

pytestmark = pytest.mark.django_db

D = datetime.date


def last_entry(event):
    return AuditEntry.objects.filter(event=event).order_by("-id").first()


def notified(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def evidence():
    return SimpleUploadedFile("验收报告.txt", "项目已竣工验收".encode(), content_type="text/plain")


@pytest.fixture
def c(clock):
    return make_task_county()


def test_full_loop_from_draft_to_closed(c, clock):
    """Given a draft, the office assigns (the lead unit is told), the liaison accepts, feeds back,
    asks to close; the office closes it with ratings; each move is audited."""
    task = make_task(c, deadline=D(2026, 9, 30), nodes=[("完成选址", D(2026, 9, 15))])
    assert task.status == TaskStatus.DRAFT and task.original_deadline == D(2026, 9, 30)
    assert last_entry(AuditEvent.TASK_CREATED).target_id == str(task.pk)

    services.assign_task(task, actor=c.office)
    assert notified(c.lead_liaison, "tasks.assigned").count() == 1
    assert notified(c.lead_head, "tasks.assigned").count() == 1
    assert notified(c.coop_liaison, "tasks.assigned").count() == 1
    assert last_entry(AuditEvent.TASK_ASSIGNED).changes == {"status": ["draft", "assigned"]}

    services.accept_task(task, actor=c.lead_liaison)
    services.add_feedback(task, actor=c.lead_liaison, text="已完成选址", progress=40)
    task.refresh_from_db()
    assert (task.status, task.progress, task.feedback_count) == (TaskStatus.IN_PROGRESS, 40, 1)
    assert last_entry(AuditEvent.TASK_FEEDBACK).parent_id == str(task.pk)

    clock.set(D(2026, 9, 29))
    services.request_completion(task, actor=c.lead_liaison, text="已全部完成")
    assert notified(c.office, "tasks.completion_requested").count() == 1
    clock.set(D(2026, 10, 9))
    services.close_task(task, actor=c.office, timeliness=4, quality=3)
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_on == D(2026, 10, 9)
    assert task.delay_working_days == 0  # asked on 9-29, before the 9-30 deadline
    assert task.nodes.get().done_on == D(2026, 9, 29)
    assert last_entry(AuditEvent.TASK_CLOSED).changes["status"] == ["completion_requested", "closed"]


def test_deadline_on_a_holiday_offers_the_next_working_day(c):
    """National Day 2026-10-01..07: the message names Thursday 10-08; nothing is saved."""
    with pytest.raises(ValidationError) as err:
        make_task(c, deadline=D(2026, 10, 3))
    assert err.value.message_dict["deadline"] == ["截止日期为节假日，建议改为2026年10月8日"]
    assert not Task.objects.exists()


def test_deadline_in_the_past_is_refused(c):
    with pytest.raises(ValidationError) as err:
        make_task(c, deadline=D(2026, 8, 31))
    assert "截止日期不能早于今天" in err.value.message_dict["deadline"][0]
    assert not Task.objects.exists()


def test_a_unit_outside_the_county_is_refused(c):
    foreign = make_task_county()
    with pytest.raises(ValidationError) as err:
        make_task(c, cooperating_units=[foreign.lead])
    assert "不在本县范围内" in err.value.message_dict["cooperating_units"][0]
    with pytest.raises(ValidationError) as err:
        make_task(c, lead_unit=foreign.lead)
    assert err.value.message_dict["lead_unit"] == ["牵头单位不在本县范围内"]
    assert not Task.objects.exists()


def test_only_the_office_creates_and_only_the_lead_unit_accepts(c):
    with pytest.raises(PermissionDenied):
        services.create_task(actor=c.lead_liaison, title="x", lead_unit=c.lead, deadline=D(2026, 9, 30))
    task = make_task(c, assign=True)
    for outsider in (c.coop_liaison, c.other_liaison, c.office):
        with pytest.raises(PermissionDenied):
            services.accept_task(task, actor=outsider)
    assert Task.objects.get().status == TaskStatus.ASSIGNED


def test_a_move_outside_the_table_is_refused(c):
    """Accepting twice: the second is not in the table and changes nothing."""
    task = make_task(c, accept=True)
    with pytest.raises(ValidationError) as err:
        services.accept_task(task, actor=c.lead_liaison)
    assert err.value.messages == ["事项当前为“已签收”，不能签收"]


def test_cooperating_unit_feeds_back_to_the_lead_unit(c):
    task = make_task(c, accept=True)
    services.add_feedback(task, actor=c.coop_liaison, text="已提供配合材料")
    cooperation = task.cooperations.get()
    task.refresh_from_db()
    assert cooperation.feedback_state == CoopState.FED_BACK
    assert task.feedback_count == 0  # the lead unit's own count is unchanged
    assert notified(c.lead_liaison, "tasks.coop_feedback").count() == 1
    with pytest.raises(PermissionDenied):
        services.add_feedback(task, actor=c.other_liaison, text="x")


def test_feedback_on_a_closed_task_is_refused(c):
    task = make_task(c, accept=True)
    services.request_completion(task, actor=c.lead_liaison, text="完成")
    services.close_task(task, actor=c.office, timeliness=4, quality=4)
    with pytest.raises(ValidationError) as err:
        services.add_feedback(task, actor=c.lead_liaison, text="补充")
    assert err.value.messages == ["事项已办结，不能再反馈"]
    assert Feedback.objects.filter(text="补充").count() == 0


def test_evidence_is_required_when_the_task_says_so(c):
    task = make_task(c, accept=True, requires_evidence=True)
    with pytest.raises(ValidationError) as err:
        services.request_completion(task, actor=c.lead_liaison, text="完成")
    assert err.value.message_dict["files"] == ["本事项要求上传办结佐证材料"]
    assert Task.objects.get().status == TaskStatus.ACCEPTED

    services.request_completion(task, actor=c.lead_liaison, text="完成", files=[evidence()])
    services.close_task(task, actor=c.office, timeliness=4, quality=4)
    assert Task.objects.get().status == TaskStatus.CLOSED


def test_return_sends_back_to_in_progress_with_reasons_and_counts(c):
    task = make_task(c, accept=True)
    services.request_completion(task, actor=c.lead_liaison, text="完成")
    services.return_task(task, actor=c.office, reason="佐证不足")
    task.refresh_from_db()
    assert (task.status, task.return_count, task.completion_requested_on) == (TaskStatus.IN_PROGRESS, 1, None)
    assert last_entry(AuditEvent.TASK_RETURNED).reason == "佐证不足"
    assert notified(c.lead_liaison, "tasks.returned").count() == 1
    with pytest.raises(ValidationError):
        services.return_task(task, actor=c.office, reason="再退")  # not awaiting closure


def test_extension_approved_moves_the_deadline_and_keeps_the_original(c, clock):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    ext = extensions.request_extension(
        task, actor=c.lead_liaison, new_deadline=D(2026, 10, 16), reason="征地未完成"
    )
    assert notified(c.office, "tasks.extension_requested").count() == 1
    with pytest.raises(ValidationError):
        extensions.request_extension(task, actor=c.lead_liaison, new_deadline=D(2026, 10, 20), reason="再延")
    extensions.approve_extension(ext, actor=c.office)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline, task.extension_count) == (
        D(2026, 10, 16),
        D(2026, 9, 30),
        1,
    )
    assert last_entry(AuditEvent.EXTENSION_APPROVED).changes["deadline"] == ["2026-09-30", "2026-10-16"]
    assert notified(c.lead_liaison, "tasks.extension_decided").count() == 1


def test_extension_refused_keeps_the_deadline(c):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    ext = extensions.request_extension(
        task, actor=c.lead_liaison, new_deadline=D(2026, 10, 16), reason="征地未完成"
    )
    with pytest.raises(ValidationError):
        extensions.refuse_extension(ext, actor=c.office, note="")
    extensions.refuse_extension(ext, actor=c.office, note="时限不可延")
    task.refresh_from_db()
    assert task.deadline == D(2026, 9, 30) and task.extension_count == 0
    assert ExtensionRequest.objects.get().status == ExtensionStatus.REFUSED
    assert last_entry(AuditEvent.EXTENSION_REFUSED).reason == "时限不可延"


def test_extension_after_the_deadline_is_refused(c, clock):
    task = make_task(c, accept=True, deadline=D(2026, 9, 15))
    clock.set(D(2026, 9, 16))
    with pytest.raises(ValidationError) as err:
        extensions.request_extension(task, actor=c.lead_liaison, new_deadline=D(2026, 9, 30), reason="来不及")
    assert err.value.messages == ["已超过办结时限，不能再申请延期"]
    assert not ExtensionRequest.objects.exists()


def test_extension_to_a_holiday_offers_the_next_working_day(c):
    task = make_task(c, accept=True, deadline=D(2026, 9, 30))
    with pytest.raises(ValidationError) as err:
        extensions.request_extension(task, actor=c.lead_liaison, new_deadline=D(2026, 10, 4), reason="x")
    assert err.value.message_dict["new_deadline"] == ["截止日期为节假日，建议改为2026年10月8日"]


def test_manual_chase_is_recorded_counted_and_sent(c):
    task = make_task(c, assign=True)
    services.chase_task(task, actor=c.office, note="请尽快签收")
    services.chase_task(task, actor=c.office, note="再次催办")
    task.refresh_from_db()
    assert task.chase_count == 2
    assert Chase.objects.filter(task=task, kind="manual").count() == 2
    assert notified(c.lead_liaison, "tasks.chase").count() == 2
    assert last_entry(AuditEvent.TASK_CHASED).reason == "再次催办"


def test_suspend_resume_and_cancel_need_a_reason(c):
    task = make_task(c, accept=True)
    with pytest.raises(ValidationError):
        services.suspend_task(task, actor=c.office, reason=" ")
    services.suspend_task(task, actor=c.office, reason="上级政策调整")
    assert Task.objects.get().status == TaskStatus.SUSPENDED
    services.resume_task(task, actor=c.office, reason="政策明确")
    services.cancel_task(task, actor=c.office, reason="不再需要")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and task.status_reason == "不再需要"
    assert last_entry(AuditEvent.TASK_CANCELLED).reason == "不再需要"


def test_leader_comments_and_split_into_subtasks(c):
    task = make_task(c, accept=True)
    services.comment_task(task, actor=c.leader, text="抓紧推进")
    assert last_entry(AuditEvent.TASK_COMMENTED).parent_id == str(task.pk)
    with pytest.raises(PermissionDenied):
        services.comment_task(task, actor=c.lead_liaison, text="x")
    subs = services.split_task(task, actor=c.office, units=[c.coop, c.other])
    assert [s.parent_id for s in subs] == [task.pk, task.pk]
    assert {s.lead_unit for s in subs} == {c.coop, c.other}
