"""Pages that write: the form, the workflow buttons, the unit page, exports and the bulletin import."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators.choices import Frequency, ValueStatus
from duban.indicators.factories import make_indicator, reporting_setup
from duban.indicators.models import IndicatorValue
from duban.indicators.periods import latest_closed
from duban.org.choices import RegionLevel
from duban.org.factories import make_region

pytestmark = pytest.mark.django_db


def test_a_liaison_enters_submits_and_the_head_approves_through_the_pages(client):
    s = reporting_setup()
    url = reverse("indicators:value_enter", args=[s.indicator.pk])
    period = latest_closed(Frequency.MONTHLY, timezone.localdate()).code
    client.force_login(s.liaison)
    page = client.get(url).content.decode()
    assert "保存草稿" in page
    bad = client.post(url, {"period": period, "value": "１２．５", "last_year_value": "", "explanation": ""})
    assert bad.status_code == 200 and "全角" in bad.content.decode()
    assert not IndicatorValue.objects.exists()
    assert client.post(url, {"period": period, "value": "12.5"}).status_code == 302
    row = IndicatorValue.objects.get()
    detail = client.get(reverse("indicators:indicator_detail", args=[s.indicator.pk])).content.decode()
    assert reverse("indicators:value_action", args=[row.pk, "submit"]) in detail
    client.post(reverse("indicators:value_action", args=[row.pk, "submit"]))
    client.force_login(s.head)
    response = client.post(
        reverse("indicators:value_action", args=[row.pk, "return"]), {"reason": ""}, follow=True
    )
    assert "请填写原因" in response.content.decode()
    client.post(reverse("indicators:value_action", args=[row.pk, "approve"]))
    row.refresh_from_db()
    assert row.status == ValueStatus.APPROVED and row.is_official
    client.force_login(s.liaison)
    assert client.post(reverse("indicators:value_action", args=[row.pk, "verify"])).status_code == 403
    row.refresh_from_db()
    assert row.status == ValueStatus.APPROVED  # refused: not the statistics bureau
    assert client.post(reverse("indicators:value_action", args=[row.pk, "nonsense"])).status_code == 404


def test_other_units_cannot_open_the_form(client):
    s = reporting_setup()
    client.force_login(s.stats)
    assert client.get(reverse("indicators:value_enter", args=[s.indicator.pk])).status_code == 403


def unit_page_queries(client, n):
    s = reporting_setup()
    for i in range(n):
        ind = make_indicator(s.county, s.unit, name=f"单位指标{n}-{i}")
        IndicatorValue.objects.create(
            indicator=ind, county=s.county, period=202609, value=i, entered_by=s.liaison
        )
    client.force_login(s.liaison)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("indicators:unit_page", args=[s.unit.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_unit_page_lists_what_is_late_with_constant_queries(client, monkeypatch):
    """Seen on 2026-11-10, October's reports (due Fri 11-06) are overdue."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 11, 10))
    small, _body = unit_page_queries(client, 2)
    big, body = unit_page_queries(client, 12)
    assert small == big
    assert "逾期" in body and "单位指标12-11" in body and "流程中的数据" in body


def test_the_board_export_is_audited_and_the_unit_template_lists_owned_indicators(client):
    s = reporting_setup(name="一般公共预算收入")
    client.force_login(s.head)
    response = client.get(reverse("indicators:board_export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active["A2"].value == "一般公共预算收入"
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORT).latest("pk").changes["rows"] == [None, 1]
    template = client.get(reverse("indicators:unit_template", args=[s.unit.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]][:5] == ["指标代码", "指标名称", "计量单位", "期别", "本期值"]
    assert sheet["B2"].value == "一般公共预算收入"
    client.force_login(s.stats)
    assert client.get(reverse("indicators:unit_template", args=[s.unit.pk])).status_code == 404


def test_the_bulletin_page_imports_all_or_nothing(client):
    s = reporting_setup(name="地区生产总值")
    make_region("甲县", level=RegionLevel.COUNTY, parent=s.county.parent)
    url = reverse("indicators:bulletin_import")
    client.force_login(s.liaison)
    assert client.get(url).status_code == 404
    client.force_login(s.stats)
    assert url in client.get(reverse("indicators:board")).content.decode()

    def upload(rows):
        book = openpyxl.Workbook()
        for r in rows:
            book.active.append(r)
        buffer = io.BytesIO()
        book.save(buffer)
        return SimpleUploadedFile("公报.xlsx", buffer.getvalue())

    bad = client.post(url, {"period": "2026-09", "file": upload([["县(区)", "地区生产总值"], ["乙县", 1]])})
    assert "未知县(区)：乙县" in bad.content.decode() and not IndicatorValue.objects.exists()
    good = client.post(
        url, {"period": "2026-09", "file": upload([["县(区)", "地区生产总值"], ["甲县", 7.5]])}
    )
    assert "新增 1 个数值" in good.content.decode()
