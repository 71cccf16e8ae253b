"""A settable clock for the tasks tests: `clock.set(date)` moves timezone.now() to 09:00 that day."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, monkeypatch):
        self.current: datetime.datetime | None = None
        monkeypatch.setattr(timezone, "now", self.now)

    def now(self) -> datetime.datetime:
        return self.current or datetime.datetime.now(tz=datetime.UTC)

    def set(self, day: datetime.date, hour: int = 9, minute: int = 0) -> None:
        self.current = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    c = Clock(monkeypatch)
    c.set(datetime.date(2026, 9, 1))
    return c
