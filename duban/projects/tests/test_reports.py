"""Progress reports: submitted by the lead unit, approved and locked by its head, corrected as new
versions with a reason, late ones flagged and chased once a day."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.notifications.models import Notification
from duban.projects import services
from duban.projects.factories import County, make_project
from duban.projects.models import ProgressReport
from duban.projects.periods import due_date, period_of
from duban.projects.reports import chase_late_reports
from duban.projects.services.reports import approve_report, correct_report, return_report, submit_report

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date
CONTENT = {
    "progress": "主体结构施工至三层",
    "investment": Decimal("1200"),
    "image_progress": 45,
    "problems": "",
}


@pytest.fixture
def county():
    return County()


@pytest.fixture
def project(county):
    return make_project(county)


def submit(project, actor, day=D(2026, 5, 18), **overrides):
    return submit_report(project, actor=actor, day=day, **{**CONTENT, **overrides})


def test_the_liaison_reports_a_month_and_a_late_one_is_flagged(county, project):
    report = submit(project, county.lead_liaison)
    assert (report.period_start, report.period_end) == (D(2026, 5, 1), D(2026, 5, 31))
    assert report.due_date == due_date(D(2026, 5, 31)) and report.late  # submitted long after June 2
    assert report.status == "submitted" and report.version == 1
    entry = AuditEntry.objects.get(event=AuditEvent.PROGRESS_REPORT_SUBMITTED)
    assert entry.target_id == str(report.pk) and entry.changes["image_progress"] == [None, 45]


def test_a_weekly_project_reports_monday_to_sunday(county):
    weekly = make_project(county, report_frequency="weekly")
    report = submit(weekly, county.lead_liaison, day=D(2026, 5, 14))  # a Thursday
    assert (report.period_start, report.period_end) == (D(2026, 5, 11), D(2026, 5, 17))
    assert period_of(D(2026, 5, 17), "weekly")[0] == D(2026, 5, 11)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"investment": Decimal("-1")}, "investment", "金额不能为负数"),
        ({"image_progress": 120}, "image_progress", "形象进度须在0到100之间"),
        ({"progress": " "}, "progress", "请填写工作进展"),
        ({"day": D(2099, 1, 1)}, "day", "不能报送未来的报告期"),
    ],
)
def test_bad_reports_are_refused_and_nothing_saved(county, project, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        submit(project, county.lead_liaison, **overrides)
    assert message in str(exc.value.message_dict[field])
    assert not ProgressReport.objects.exists()


def test_only_the_lead_unit_reports_and_only_its_head_approves(county, project):
    with pytest.raises(PermissionDenied):
        submit(project, county.other_liaison)
    with pytest.raises(PermissionDenied):
        submit(project, county.office)
    report = submit(project, county.lead_liaison)
    with pytest.raises(ValidationError, match="等待审核"):
        submit(project, county.lead_liaison)
    with pytest.raises(PermissionDenied):
        approve_report(report, actor=county.lead_liaison)
    approve_report(report, actor=county.lead_head)
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == county.lead_head
    assert AuditEntry.objects.filter(event=AuditEvent.PROGRESS_REPORT_APPROVED).count() == 1
    with pytest.raises(ValidationError, match="审核锁定"):
        submit(project, county.lead_liaison)


def test_a_returned_report_is_resubmitted_in_place(county, project):
    report = submit(project, county.lead_liaison)
    with pytest.raises(ValidationError, match="退回时须填写意见"):
        return_report(report, actor=county.lead_head, note="")
    return_report(report, actor=county.lead_head, note="投资数据有误")
    assert AuditEntry.objects.get(event=AuditEvent.PROGRESS_REPORT_RETURNED).reason == "投资数据有误"
    again = submit(project, county.lead_liaison, investment=Decimal("900"))
    assert again.pk == report.pk and again.status == "submitted" and again.investment == Decimal("900.00")
    assert ProgressReport.objects.count() == 1


def test_a_correction_after_approval_is_a_new_version_and_the_old_one_is_kept(county, project):
    report = submit(project, county.lead_liaison)
    approve_report(report, actor=county.lead_head)
    with pytest.raises(ValidationError, match="须说明理由"):
        correct_report(report, actor=county.lead_liaison, reason="", **CONTENT)
    new = correct_report(
        report, actor=county.lead_liaison, reason="统计口径调整", **{**CONTENT, "investment": Decimal("1000")}
    )
    old = ProgressReport.objects.get(pk=report.pk)
    assert (old.status, old.is_current, old.investment) == ("approved", False, Decimal("1200.00"))
    assert (new.version, new.is_current, new.status, new.correction_reason) == (
        2,
        True,
        "submitted",
        "统计口径调整",
    )
    entry = AuditEntry.objects.get(event=AuditEvent.PROGRESS_REPORT_CORRECTED)
    assert entry.reason == "统计口径调整" and entry.changes["investment"] == ["1200.00", "1000.00"]
    with pytest.raises(ValidationError):
        correct_report(old, actor=county.lead_liaison, reason="再改", **CONTENT)


def test_late_reports_are_chased_once_a_day(county, project):
    today = D(2026, 6, 10)  # May's report was due on June 2
    assert chase_late_reports(today) == 2  # the lead unit's head and liaison
    assert chase_late_reports(today) == 0
    note = Notification.objects.filter(kind="projects.report_late").first()
    assert project.name in note.title
    submit(project, county.lead_liaison, day=D(2026, 5, 20))
    assert chase_late_reports(D(2026, 6, 11)) == 0
    services.update_project(project, actor=county.office, status="suspended")
    assert chase_late_reports(D(2026, 7, 10)) == 0


def test_the_report_pages_submit_approve_and_correct(client, county, project):
    client.force_login(county.lead_liaison)
    url = reverse("projects:project_reports", args=[project.pk])
    bad = client.post(url, {"day": "2026-05-18", "progress": "x", "investment": "-5", "image_progress": "50"})
    assert bad.status_code == 422 and "金额不能为负数" in bad.content.decode()
    response = client.post(
        url, {"day": "2026-05-18", "progress": "基础完成", "investment": "300", "image_progress": "20"}
    )
    report = ProgressReport.objects.get()
    assert response.url == reverse("projects:report_detail", args=[report.pk])
    client.force_login(county.lead_head)
    page = client.get(response.url).content.decode()
    assert "审核通过" in page and "逾期报送" in page
    client.post(reverse("projects:report_action", args=[report.pk, "approve"]))
    client.force_login(county.lead_liaison)
    no_reason = client.post(
        reverse("projects:report_action", args=[report.pk, "correct"]),
        {"progress": "基础完成", "investment": "250", "image_progress": "20", "reason": ""},
    )
    assert no_reason.status_code == 422 and ProgressReport.objects.count() == 1
    client.post(
        reverse("projects:report_action", args=[report.pk, "correct"]),
        {"progress": "基础完成", "investment": "250", "image_progress": "20", "reason": "核减"},
    )
    assert ProgressReport.objects.count() == 2
    detail = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "进展" in detail and "形象进度20%" in detail


def test_reports_page_does_not_grow_in_queries(client, county, project):
    submit(project, county.lead_liaison, day=D(2026, 1, 5))
    client.force_login(county.office)
    urls = [
        reverse("projects:project_reports", args=[project.pk]),
        reverse("projects:project_detail", args=[project.pk]),
    ]
    small = [count_queries(client, u) for u in urls]
    for month in range(2, 7):
        r = submit(project, county.lead_liaison, day=D(2026, month, 5))
        approve_report(r, actor=county.lead_head)
    assert [count_queries(client, u) for u in urls] == small
