"""Upload of a unit's filled-in report template: rows become drafts through enter_value,
all or nothing, each bad row named in Chinese; only the unit's own people may upload."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators.choices import IndicatorKind, ValueStatus
from duban.indicators.deadlines import report_states
from duban.indicators.exports import report_template
from duban.indicators.factories import make_indicator, reporting_setup
from duban.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def filled(s, values: dict[int, list]) -> SimpleUploadedFile:
    """The unit's own template with cells E.. of row n (2-based) replaced by values[n]."""
    indicators = list(s.unit.indicators.order_by("sort_order", "code"))
    book = openpyxl.load_workbook(
        io.BytesIO(report_template(s.unit.name, report_states(indicators), actor=None))
    )
    sheet = book.active
    for row, cells in values.items():
        for offset, value in enumerate(cells):
            sheet.cell(row=row, column=5 + offset, value=value)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("填报.xlsx", out.getvalue())


def setup():
    s = reporting_setup()
    rate = make_indicator(s.county, s.unit, kind=IndicatorKind.GROWTH_RATE, unit_of_measure="%")
    return s, rate


def upload(client, s, user, file):
    client.force_login(user)
    return client.post(reverse("indicators:unit_report_upload", args=[s.unit.pk]), {"file": file})


def test_the_liaison_uploads_the_template_and_rows_become_drafts(client):
    """Given both rows filled (the rate with last year's figure), then two audited drafts."""
    s, _rate = setup()
    response = upload(client, s, s.liaison, filled(s, {2: [12.5], 3: ["6.1", "5.8"]}))
    assert response.status_code == 302
    drafts = IndicatorValue.objects.filter(indicator__owner_unit=s.unit, status=ValueStatus.DRAFT)
    assert sorted(str(v.value.normalize()) for v in drafts) == ["12.5", "6.1"]
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATOR_VALUE_ENTERED).count() == 2


def test_blank_rows_are_left_out(client):
    """Given only the first row filled, then only that figure is entered."""
    s, _rate = setup()
    assert upload(client, s, s.liaison, filled(s, {2: ["3"]})).status_code == 302
    assert IndicatorValue.objects.filter(indicator__owner_unit=s.unit).count() == 1


def test_one_bad_row_saves_nothing_and_names_the_row(client):
    """Given a good row and a rate without last year's figure, then nothing is saved and row 3 is named."""
    s, _rate = setup()
    response = upload(client, s, s.liaison, filled(s, {2: ["3"], 3: ["6.1"]}))
    assert response.status_code == 200
    text = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert "第3行" in text and "第2行" not in text
    assert not IndicatorValue.objects.filter(indicator__owner_unit=s.unit).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.INDICATOR_VALUE_ENTERED).exists()


def test_words_and_unknown_codes_are_refused(client):
    """Given a figure in words and an indicator of another unit, then both rows are named, nothing saved.
    (Full-width digits in a sheet are made half-width, as in every duban.sheets import.)"""
    s, _rate = setup()
    other = make_indicator(s.county)
    file = filled(s, {2: ["十二"], 3: ["6.1", "5.8"]})
    book = openpyxl.load_workbook(io.BytesIO(file.read()))
    book.active.cell(row=3, column=1, value=other.code)
    out = io.BytesIO()
    book.save(out)
    response = upload(client, s, s.liaison, SimpleUploadedFile("填报.xlsx", out.getvalue()))
    text = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert "第2行" in text and "第3行" in text and "不是本单位负责的指标" in text
    assert not IndicatorValue.objects.exists()


def test_duplicate_rows_are_refused(client):
    """Given the same indicator and period twice, then the second row is named and nothing saved."""
    s, _rate = setup()
    file = filled(s, {2: ["3"], 3: ["6.1", "5.8"]})
    book = openpyxl.load_workbook(io.BytesIO(file.read()))
    sheet = book.active
    sheet.append([sheet.cell(row=2, column=c).value for c in range(1, 5)] + ["4"])
    out = io.BytesIO()
    book.save(out)
    response = upload(client, s, s.liaison, SimpleUploadedFile("填报.xlsx", out.getvalue()))
    assert "重复" in " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert not IndicatorValue.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(client):
    """Given a text file named .xlsx, then the sheets file check refuses it in Chinese."""
    s, _rate = setup()
    response = upload(client, s, s.liaison, SimpleUploadedFile("填报.xlsx", "不是表格".encode()))
    assert response.status_code == 200 and response.context["form"].errors
    assert not IndicatorValue.objects.exists()


def test_only_the_unit_uploads(client):
    """Given the office (sees the unit) and another county's liaison, then 403 and 404."""
    s, _rate = setup()
    url = reverse("indicators:unit_report_upload", args=[s.unit.pk])
    client.force_login(s.office)
    assert client.get(url).status_code == 403
    stranger = reporting_setup()
    client.force_login(stranger.liaison)
    assert client.get(url).status_code == 404
    client.force_login(make_user_with_role(Role.UNIT_HEAD, unit=s.unit))
    assert client.get(url).status_code == 200
