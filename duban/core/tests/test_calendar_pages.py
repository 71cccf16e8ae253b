"""The calendar pages over HTTP: everyone reads the calendar, only the system admin adjusts it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.core import calendar
from duban.core.calendar import services
from duban.core.models import WorkdayAdjustment

D = datetime.date
TODAY = D(2026, 11, 28)  # a Saturday
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    calendar.clear_cache()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    yield
    calendar.clear_cache()


@pytest.fixture
def admin():
    return make_user_with_role(Role.SYSTEM_ADMIN)


@pytest.fixture
def liaison():
    return make_user_with_role(Role.UNIT_LIAISON)


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("core:calendar"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_calendar_page_shows_the_grid_eve_and_deadlines_with_lights(client, liaison):
    """Seen Sat 2026-11-28: 年前 is Fri 2027-02-05 (2027 not entered: weekends only), month end Mon Nov 30."""
    client.force_login(liaison)
    body = client.get(reverse("core:calendar")).content.decode()

    assert "工作日历 · 2026年" in body
    assert "2027年2月5日" in body and "还有 <strong>50</strong> 个工作日" in body
    assert "2027年节假日安排尚未录入，按周末计算" in body
    assert '<span class="light light-yellow">距截止还有1个工作日</span>' in body  # month end Nov 30
    assert '<span class="light light-green">距截止还有24个工作日</span>' in body  # quarter end Dec 31
    assert 'class="day-holiday" title="国庆节"' in body and 'class="day-swapped" title="春节"' in body
    assert 'class="day-weekend day-today"' in body
    assert "调整节假日" not in body  # the link to the admin page is for administrators


def test_an_unknown_year_warns_and_an_entered_one_does_not(client, admin):
    client.force_login(admin)
    assert "2027年节假日安排尚未录入" in client.get(reverse("core:calendar"), {"year": 2027}).content.decode()
    services.add_adjustment(actor=admin, date=D(2027, 2, 5), is_workday=False, name="春节")
    body = client.get(reverse("core:calendar"), {"year": 2027}).content.decode()
    assert "2027年节假日安排尚未录入" not in body
    assert 'class="day-holiday day-adjusted" title="春节"' in body
    assert "2027年2月4日" in body  # 年前 moved to Thursday


def test_garbage_year_falls_back_to_this_year(client, liaison):
    client.force_login(liaison)
    for year in ["abc", "99999", "-1"]:
        assert "工作日历 · 2026年" in client.get(reverse("core:calendar"), {"year": year}).content.decode()


def test_only_the_system_admin_reaches_the_adjustment_pages(client, liaison):
    adjustment = services.add_adjustment(
        actor=None, date=D(2027, 2, 5), is_workday=False, name="春节", check_access=False
    )
    client.force_login(liaison)
    assert client.get(reverse("core:calendar_adjustments")).status_code == 403
    add = client.post(
        reverse("core:calendar_adjustment_add"), {"date": "2027-02-08", "kind": "off", "name": "春节"}
    )
    assert add.status_code == 403
    imported = client.post(reverse("core:calendar_adjustment_import"), {"text": "2027-02-08,休,春节"})
    assert imported.status_code == 403
    delete = client.post(reverse("core:calendar_adjustment_delete", args=[adjustment.pk]))
    assert delete.status_code == 404
    assert list(WorkdayAdjustment.objects.values_list("date", flat=True)) == [D(2027, 2, 5)]


def test_admin_adds_a_day_and_it_is_audited(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("core:calendar_adjustment_add") + "?year=2027",
        {"date": "2027-02-20", "kind": "work", "name": "春节调休上班", "note": "国办发明电"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    adjustment = WorkdayAdjustment.objects.get()
    assert adjustment.is_workday and adjustment.created_by == admin
    assert AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED, target_id=str(adjustment.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "已保存 2027-02-20 的调整" in page and "春节调休上班" in page


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(client, admin):
    client.force_login(admin)
    services.add_adjustment(actor=admin, date=D(2027, 2, 5), is_workday=False, name="春节")
    duplicate = client.post(
        reverse("core:calendar_adjustment_add"), {"date": "2027-02-05", "kind": "work", "name": "x"}
    )
    assert duplicate.status_code == 400 and "该日期已有调整记录" in duplicate.content.decode()
    empty = client.post(reverse("core:calendar_adjustment_add"), {"date": "", "kind": "off", "name": ""})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    bad_paste = client.post(
        reverse("core:calendar_adjustment_import"), {"text": "2027-02-08,休,春节\n2027-02-31,休,春节"}
    )
    assert bad_paste.status_code == 400 and "第2行：日期“2027-02-31”无效" in bad_paste.content.decode()
    assert WorkdayAdjustment.objects.count() == 1


def test_admin_imports_and_deletes(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("core:calendar_adjustment_import"), {"text": "2027-02-05,休,春节\n2027-02-20,班,春节调休上班"}
    )
    assert response.status_code == 302
    assert "导入完成：新增2条，修改0条，未变0条" in client.get(response["Location"]).content.decode()
    target = WorkdayAdjustment.objects.get(date=D(2027, 2, 5))

    gone = client.post(reverse("core:calendar_adjustment_delete", args=[target.pk]))

    assert gone.status_code == 302
    assert not WorkdayAdjustment.objects.filter(pk=target.pk).exists()
    entry = AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED).order_by("-id").first()
    assert entry.target_id == str(target.pk) and entry.changes["name"] == ["春节", None]


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["core:calendar", "core:calendar_adjustments"])
def test_query_count_does_not_grow_with_adjustments(client, admin, name):
    client.force_login(admin)
    services.add_adjustment(actor=admin, date=D(2027, 1, 4), is_workday=False, name="一")
    few = _queries(client, reverse(name), {"year": 2027})
    services.import_adjustments(
        "\n".join(f"{D(2027, 3, 1) + datetime.timedelta(days=i)},休,测试{i}" for i in range(40)), actor=admin
    )
    many = _queries(client, reverse(name), {"year": 2027})
    assert few == many
