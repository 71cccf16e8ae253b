"""How a cell becomes a value: the parsing rules of docs/sheets.md."""

import datetime
from decimal import Decimal

import pytest

from duban.org.choices import UnitKind
from duban.sheets.columns import CellError, Column, float_to_decimal, to_date, to_decimal, to_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime.date(2026, 11, 28), datetime.date(2026, 11, 28)),
        (datetime.datetime(2026, 11, 28), datetime.date(2026, 11, 28)),
        (46354.0, datetime.date(2026, 11, 28)),  # an Excel serial date
        ("2026-11-28", datetime.date(2026, 11, 28)),
        ("2026/11/28", datetime.date(2026, 11, 28)),
        ("2026.11.28", datetime.date(2026, 11, 28)),
        ("2026年11月28日", datetime.date(2026, 11, 28)),
        ("２０２６年１１月２８日", datetime.date(2026, 11, 28)),
        (" 2026-1-5 ", datetime.date(2026, 1, 5)),
        ("20261128", datetime.date(2026, 11, 28)),
        ("2026-11-28 00:00:00", datetime.date(2026, 11, 28)),
    ],
)
def test_dates_arrive_in_every_form_people_type(raw, expected):
    """Given a date as a date cell, a serial number or text, when parsed, then it is that date."""
    assert to_date(raw) == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "明天", "28/11/2026", 0.0, 46354.5])
def test_bad_dates_are_refused_with_a_reason(raw):
    with pytest.raises(CellError):
        to_date(raw)


def test_numbers_stay_exact_decimals_with_at_most_15_significant_digits():
    """Given numeric cells (floats from calamine), the Decimal is what the user typed."""
    assert float_to_decimal(0.1 + 0.2) == Decimal("0.3")
    assert float_to_decimal(1234567.89) == Decimal("1234567.89")
    assert float_to_decimal(123456789012.345) == Decimal("123456789012.345")
    assert str(float_to_decimal(13800000000.0)) == "13800000000"
    assert to_decimal("１,２３４.５０") == Decimal("1234.50")  # text: exact, full-width allowed
    with pytest.raises(CellError):
        to_decimal("十二")


def test_text_is_trimmed_full_width_alnum_made_half_width_and_numbers_kept_as_typed():
    assert to_text("  县发改局\u3000") == "县发改局"
    assert to_text("ＦＧＪ０１") == "FGJ01"
    assert to_text("县委办公室（县政府办公室）") == "县委办公室（县政府办公室）"  # brackets stay full-width
    assert to_text(371121.0) == "371121"
    assert to_text("'=HYPERLINK(1)") == "=HYPERLINK(1)"  # our export's apostrophe is undone


def test_choices_take_the_label_or_the_code():
    column = Column("类型", "kind", choices=UnitKind)
    assert column.parse("部门") == "department"
    assert column.parse("TOWN") == "town"
    with pytest.raises(CellError, match="部门"):
        column.parse("局")


def test_text_longer_than_the_limit_is_refused():
    column = Column("简称", "short_name", max_length=4)
    with pytest.raises(CellError, match="4"):
        column.parse("发展和改革局")


def test_integers_refuse_fractions():
    column = Column("排序", "sort_order", value_type=int)
    assert column.parse(3.0) == 3
    assert column.parse("３") == 3
    with pytest.raises(CellError):
        column.parse(2.5)
