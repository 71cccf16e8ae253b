"""Periods (one integer key per period) and figures typed by people."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from duban.indicators.choices import Frequency
from duban.indicators.numbers import parse_figure
from duban.indicators.periods import Period, latest_closed, periods_of_year


@pytest.mark.parametrize(
    ("text", "frequency", "key", "label", "code"),
    [
        ("2026-03", Frequency.MONTHLY, 202603, "2026年3月", "2026-03"),
        ("2026年3月", Frequency.MONTHLY, 202603, "2026年3月", "2026-03"),
        ("2026Q2", Frequency.QUARTERLY, 202606, "2026年二季度", "2026Q2"),
        ("2026H1", Frequency.HALF_YEAR, 202606, "2026年上半年", "2026H1"),
        ("2026", Frequency.ANNUAL, 202612, "2026年", "2026"),
        ("202609", Frequency.QUARTERLY, 202609, "2026年三季度", "2026Q3"),
    ],
)
def test_periods_parse_to_one_key_and_back(text, frequency, key, label, code):
    period = Period.parse(text, frequency)
    assert (period.key, period.label, period.code) == (key, label, code)
    assert Period.parse(period.code, frequency) == period


def test_a_month_that_does_not_end_a_quarter_is_refused_in_chinese():
    with pytest.raises(ValidationError, match="不是季度指标的期别"):
        Period.parse("2026-04", Frequency.QUARTERLY)
    with pytest.raises(ValidationError, match="期别格式不正确"):
        Period.parse("三月", Frequency.MONTHLY)


def test_cumulative_periods_restart_each_year_and_last_year_is_minus_100():
    assert Period(2026, 1).previous() is None
    assert Period(2026, 1).previous_any() == Period(2025, 12)
    assert Period(2026, 6, Frequency.QUARTERLY).previous() == Period(2026, 3, Frequency.QUARTERLY)
    assert Period(2026, 6, Frequency.QUARTERLY).last_year().key == 202506
    q2 = Period(2026, 6, Frequency.QUARTERLY)
    assert (q2.start, q2.end) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


def test_latest_closed_period():
    assert latest_closed(Frequency.MONTHLY, datetime.date(2026, 11, 28)) == Period(2026, 10)
    assert latest_closed(Frequency.QUARTERLY, datetime.date(2026, 1, 5)).key == 202512
    assert [p.key for p in periods_of_year(2026, Frequency.HALF_YEAR)] == [202606, 202612]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("１２．５", "全角"),
        ("12.5亿元", "不是数字"),
        ("约12", "不是数字"),
        ("1,200", "千位分隔符"),
        ("1.23456", "小数位数过多"),
        ("123456789012.5", "数值过大"),
        (True, "请输入数字"),
    ],
)
def test_bad_figures_get_a_clear_chinese_message(raw, message):
    with pytest.raises(ValidationError, match=message):
        parse_figure(raw, label="本期值")


def test_good_figures_are_exact_decimals():
    assert parse_figure(" 12.5 ") == Decimal("12.5")
    assert parse_figure(12.3) == Decimal("12.3")  # a sheet's float, through its shortest text
    assert parse_figure(-3) == Decimal(-3)
    assert parse_figure("") is None and parse_figure(None) is None
    assert parse_figure("12345678901.1234") == Decimal("12345678901.1234")


@given(
    st.decimals(
        min_value=Decimal("-99999999999"), max_value=Decimal("99999999999"), places=4, allow_nan=False
    )
)
def test_any_exact_figure_round_trips(value):
    assert parse_figure(format(value, "f")) == value
