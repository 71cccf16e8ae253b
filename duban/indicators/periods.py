"""Reporting periods: a year and the month the period ends in, stored as one integer key.

`key = year * 100 + month`: 202603 is March 2026 for a monthly indicator, Q1 2026 for a
quarterly one, 202606 the first half-year, 202612 the year. The frequency of the indicator
says which months are period ends, so one key never means two periods of the same indicator,
and keys sort in time order. "Same period last year" is `key - 100`.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import Frequency

END_MONTHS = {
    Frequency.MONTHLY: tuple(range(1, 13)),
    Frequency.QUARTERLY: (3, 6, 9, 12),
    Frequency.HALF_YEAR: (6, 12),
    Frequency.ANNUAL: (12,),
}
SPAN_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEAR: 6, Frequency.ANNUAL: 12}
QUARTER_NAMES = {3: "一季度", 6: "二季度", 9: "三季度", 12: "四季度"}
_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/年]?\s*(?:(Q|H)?(\d{1,2})月?))?\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int  # the last month of the period
    frequency: str = Frequency.MONTHLY

    @classmethod
    def from_key(cls, key: int, frequency: str) -> Period:
        period = cls(key // 100, key % 100, frequency)
        period.check()
        return period

    @classmethod
    def parse(cls, text: str, frequency: str) -> Period:
        """'2026-03', '2026年3月', '2026Q1', '2026H1', '2026' (annual) or a key '202603'."""
        raw = str(text).strip()
        if re.fullmatch(r"\d{6}", raw):
            return cls.from_key(int(raw), frequency)
        match = _TEXT.match(raw)
        if not match:
            raise ValidationError(
                _("期别格式不正确：%(t)s（示例：2026-03、2026Q1、2026H1、2026）") % {"t": raw}
            )
        year, mark, number = int(match[1]), (match[2] or "").upper(), match[3]
        if number is None:
            month = 12
        elif mark == "Q":
            month = int(number) * 3
        elif mark == "H":
            month = int(number) * 6
        else:
            month = int(number)
        period = cls(year, month, frequency)
        period.check()
        return period

    def check(self) -> None:
        if not 2000 <= self.year <= 2100 or self.month not in END_MONTHS[Frequency(self.frequency)]:
            raise ValidationError(
                _("“%(p)s”不是%(f)s指标的期别")
                % {"p": f"{self.year}-{self.month:02d}", "f": Frequency(self.frequency).label}
            )

    @property
    def key(self) -> int:
        return self.year * 100 + self.month

    @property
    def start(self) -> datetime.date:
        """First day of the period itself (not of the year)."""
        return datetime.date(self.year, self.month - SPAN_MONTHS[Frequency(self.frequency)] + 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.month, pycalendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def elapsed_share_months(self) -> int:
        """Months of the year covered up to the period's end (3 for March or Q1)."""
        return self.month

    @property
    def label(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return f"{self.year}年{self.month}月"
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.year}年{QUARTER_NAMES[self.month]}"
        if self.frequency == Frequency.HALF_YEAR:
            return f"{self.year}年{'上半年' if self.month == 6 else '下半年'}"
        return f"{self.year}年"

    @property
    def code(self) -> str:
        """The text form used in URLs, the API and sheets: 2026-03, 2026Q1, 2026H1, 2026."""
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.year}Q{self.month // 3}"
        if self.frequency == Frequency.HALF_YEAR:
            return f"{self.year}H{self.month // 6}"
        if self.frequency == Frequency.ANNUAL:
            return str(self.year)
        return f"{self.year}-{self.month:02d}"

    def previous(self) -> Period | None:
        """The period before, or None for the first period of a year (cumulative figures restart)."""
        months = END_MONTHS[Frequency(self.frequency)]
        index = months.index(self.month)
        if index == 0:
            return None
        return Period(self.year, months[index - 1], self.frequency)

    def previous_any(self) -> Period:
        """The period before, crossing into last year (for rank change)."""
        return self.previous() or Period(
            self.year - 1, END_MONTHS[Frequency(self.frequency)][-1], self.frequency
        )

    def last_year(self) -> Period:
        return Period(self.year - 1, self.month, self.frequency)

    def __str__(self) -> str:
        return self.label


def periods_of_year(year: int, frequency: str) -> list[Period]:
    return [Period(year, m, frequency) for m in END_MONTHS[Frequency(frequency)]]


def latest_closed(frequency: str, today: datetime.date) -> Period:
    """The latest period that has ended before `today`."""
    candidates = [p for y in (today.year - 1, today.year) for p in periods_of_year(y, frequency)]
    return [p for p in candidates if p.end < today][-1]
