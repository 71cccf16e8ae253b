"""The home page section 「考核指标待办」 of the owning unit and of the statistics bureau."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.indicators import services
from duban.indicators.factories import make_indicator, reporting_setup
from duban.indicators.home import waiting_items
from duban.indicators.periods import latest_closed
from duban.indicators.services.reporting import approve_value, submit_value

pytestmark = pytest.mark.django_db


def texts(user) -> list[str]:
    return [f"{i.text} {i.note}" for i in waiting_items(user)]


def enter(s, actor):
    period = latest_closed(s.indicator.frequency, timezone.localdate())
    return services.enter_value(s.indicator, actor=actor, period=period, value="10")


def test_a_report_due_or_late_waits_for_the_liaison_until_submitted():
    """Given a report due on the first working day (so due soon or overdue), then it waits for the
    unit's liaison and head, not for another unit; once submitted it no longer waits."""
    s = reporting_setup(due_working_day=1)
    assert any(s.indicator.name in t for t in texts(s.liaison))
    assert any(s.indicator.name in t for t in texts(s.head))
    assert not any(s.indicator.name in t for t in texts(s.stats))
    submit_value(enter(s, s.liaison), actor=s.liaison)
    assert not any(s.indicator.name in t for t in texts(s.liaison))


def test_values_wait_for_the_head_then_for_the_statistics_bureau():
    """Given a submitted value, then it waits for the unit head's approval (not the liaison's);
    once approved it waits for the statistics bureau's verification."""
    s = reporting_setup()
    row = submit_value(enter(s, s.liaison), actor=s.liaison)
    assert any("待审核" in t for t in texts(s.head))
    assert not any("待审核" in t for t in texts(s.liaison))
    assert not any("待统计局核定" in t for t in texts(s.stats))
    approve_value(row, actor=s.head)
    assert not any("待审核" in t for t in texts(s.head))
    assert any(s.indicator.name in t and "待统计局核定" in t for t in texts(s.stats))


def home_queries(client, n: int) -> int:
    s = reporting_setup(due_working_day=1)
    for _i in range(n - 1):
        make_indicator(s.county, s.unit, due_working_day=1)
    submit_value(enter(s, s.liaison), actor=s.liaison)
    client.force_login(s.head)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "考核指标待办" in response.content.decode()
    return len(ctx.captured_queries)


def test_home_section_query_count_does_not_grow_with_indicators(client):
    """Given 2 or 12 owned indicators, then the home page needs the same number of queries."""
    assert home_queries(client, 2) == home_queries(client, 12)
