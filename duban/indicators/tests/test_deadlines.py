"""Late and missing reports are flagged and chased once a day through notifications."""

import datetime

import pytest

from duban.indicators import services
from duban.indicators.deadlines import report_states
from duban.indicators.factories import reporting_setup
from duban.indicators.periods import Period
from duban.indicators.tasks import chase_reports
from duban.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_report_due_on_the_fifth_working_day_is_yellow_then_red_then_blue_late():
    """October 2026 is due on the 5th working day of November: Fri 11-06 (11-02 is Monday)."""
    s = reporting_setup()
    [state] = report_states([s.indicator], datetime.date(2026, 11, 4))
    assert state.period == Period(2026, 10) and state.due == datetime.date(2026, 11, 6)
    assert state.light.colour == "yellow"
    [state] = report_states([s.indicator], datetime.date(2026, 11, 10))
    assert state.light.colour == "red" and state.missing
    row = services.enter_value(
        s.indicator, actor=s.liaison, period=Period(2026, 10), value="3", today=datetime.date(2026, 11, 10)
    )
    services.submit_value(row, actor=s.liaison)
    [state] = report_states([s.indicator], datetime.date(2026, 11, 30))
    assert state.light.colour == "blue" and state.late and not state.missing


def test_the_daily_chase_notifies_the_unit_once_per_day():
    s = reporting_setup()
    day = datetime.date(2026, 11, 10)
    assert chase_reports(day) == 2  # overdue: liaison and head
    assert chase_reports(day) == 0
    assert Notification.objects.filter(recipient=s.liaison, kind="indicators.chase").count() == 1
    assert "逾期未报" in Notification.objects.get(recipient=s.head).title
    assert chase_reports(datetime.date(2026, 11, 11)) == 2
    assert chase_reports(datetime.date(2026, 11, 2)) == 0  # 4 working days left: green
    assert chase_reports(datetime.date(2026, 11, 3)) == 1  # 3 left: yellow, the liaison only
