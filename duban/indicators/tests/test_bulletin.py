"""The city's bulletin import: all or nothing, every problem named, history kept."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators.bulletin_file import read_rows
from duban.indicators.choices import Frequency, ValueStatus
from duban.indicators.factories import make_indicator, reporting_setup
from duban.indicators.models import IndicatorValue
from duban.indicators.services.bulletin import import_bulletin
from duban.org.choices import RegionLevel
from duban.org.factories import make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    s = reporting_setup(name="地区生产总值", code="GDP")
    quarterly = make_indicator(s.county, s.unit, name="实际利用外资", frequency=Frequency.QUARTERLY)
    peers = [make_region(n, level=RegionLevel.COUNTY, parent=s.county.parent) for n in ("甲县", "乙县")]
    return s, quarterly, peers


def rows(*body):
    return [["县(区)", "地区生产总值", "实际利用外资"], *body]


def test_a_clean_bulletin_imports_the_peers_and_skips_the_home_county(world):
    s, _q, (a, _b) = world
    summary = import_bulletin(
        actor=s.stats,
        county=s.county,
        period_text="2026-09",
        rows=rows(["甲县", 120.5, "3.2"], ["乙县", "98", None], [s.county.name, 100, 2]),
    )
    assert summary == {"created": 3, "changed": 0, "unchanged": 0, "home_skipped": 2}
    row = IndicatorValue.objects.get(county=a, indicator=s.indicator)
    assert (row.period, str(row.value), row.status, row.is_official) == (
        202609,
        "120.5000",
        ValueStatus.VERIFIED,
        True,
    )
    assert IndicatorValue.objects.get(county=a, indicator=_q).period == 202609
    entry = AuditEntry.objects.filter(event=AuditEvent.INDICATOR_BULLETIN_IMPORTED).get()
    assert entry.changes["created"] == [None, 3] and entry.actor == s.stats
    # the same sheet again changes nothing; a changed figure becomes version 2
    again = import_bulletin(
        actor=s.office,
        county=s.county,
        period_text="2026-09",
        rows=rows(["甲县", 121, "3.2"], ["乙县", "98", None]),
    )
    assert again == {"created": 0, "changed": 1, "unchanged": 2, "home_skipped": 0}
    versions = IndicatorValue.objects.filter(county=a, indicator=s.indicator).order_by("version")
    assert [(v.version, v.is_official, v.status) for v in versions] == [
        (1, False, ValueStatus.SUPERSEDED),
        (2, True, ValueStatus.VERIFIED),
    ]


def test_unknown_names_duplicates_and_bad_numbers_are_all_listed_and_nothing_is_imported(world):
    s, _q, _peers = world
    bad = [
        ["县(区)", "地区生产总值", "工业用电量", "地区生产总值"],
        ["甲县", "１２", 1, 2],
        ["丙县", 1, 1, 1],
        ["甲县", 1, 1, 1],
        ["乙县", "约5", 1, 1],
    ]
    with pytest.raises(ValidationError) as exc:
        import_bulletin(actor=s.stats, county=s.county, period_text="2026-09", rows=bad)
    text = "\n".join(exc.value.messages)
    assert "未知县(区)：丙县" in text
    assert "未知指标：工业用电量" in text
    assert "指标“地区生产总值”在第B列和第D列重复" in text
    assert "县(区)“甲县”在第2行和第4行重复" in text
    assert "第2行B列（甲县 / 地区生产总值）" in text and "全角" in text
    assert "第5行B列（乙县 / 地区生产总值）" in text
    assert not IndicatorValue.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.INDICATOR_BULLETIN_IMPORTED).exists()


def test_a_period_an_indicator_does_not_have_and_an_outsider_are_refused(world):
    s, _q, _peers = world
    with pytest.raises(ValidationError, match="没有“2026-08”这一期"):
        import_bulletin(actor=s.stats, county=s.county, period_text="2026-08", rows=rows(["甲县", 1, 1]))
    with pytest.raises(PermissionDenied):
        import_bulletin(actor=s.liaison, county=s.county, period_text="2026-09", rows=rows(["甲县", 1, 1]))


def test_a_workbook_is_read_with_calamine(world):
    book = openpyxl.Workbook()
    for r in rows(["甲县", 12.3, 4]):
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("公报.xlsx", buffer.getvalue())
    assert read_rows(upload)[1][:2] == ["甲县", 12.3]
    with pytest.raises(ValidationError, match="不是表格文件"):
        read_rows(SimpleUploadedFile("公报.xlsx", b"%PDF-1.7 not a workbook"))


def test_history_at_go_live_takes_the_home_row_only_where_the_system_holds_nothing(world):
    s, _q, _peers = world
    from duban.indicators.factories import make_official_value

    make_official_value(s.indicator, s.county, 202609, "99")
    summary = import_bulletin(
        actor=s.stats,
        county=s.county,
        period_text="2026-09",
        rows=rows([s.county.name, 100, 2]),
        include_home=True,
    )
    assert summary == {"created": 1, "changed": 0, "unchanged": 0, "home_skipped": 1}
    assert IndicatorValue.objects.get(county=s.county, indicator=s.indicator).value == 99
    assert IndicatorValue.objects.get(county=s.county, indicator=_q).value == 2
