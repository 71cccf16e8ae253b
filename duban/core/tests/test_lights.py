"""Status lights: colours and Chinese reasons for deadlines and progress, tunable thresholds."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from duban.core import calendar, lights
from duban.core.lights import BLUE, GREEN, GREY, RED, YELLOW, deadline_light, progress_light, time_progress

D = datetime.date
pytestmark = pytest.mark.django_db
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


# --- deadlines ---------------------------------------------------------------------------------


def test_overdue_is_red_counted_in_working_days():
    """Due Tue Sep 30 2025, seen Thu Oct 9 after the National Day week: one working day late."""
    light = deadline_light(D(2025, 9, 30), None, D(2025, 10, 9))
    assert (light.colour, light.reason, light.working_days) == (RED, "逾期1个工作日", 1)
    # Due Fri Sep 26: Sun Sep 28 (swapped), Sep 29, Sep 30 and Oct 9 have passed.
    assert deadline_light(D(2025, 9, 26), None, D(2025, 10, 9)).reason == "逾期4个工作日"
    assert deadline_light(D(2026, 11, 27), None, D(2026, 11, 28)).reason == "已逾期"  # Friday, seen Saturday


def test_yellow_within_three_working_days_green_beyond():
    today = D(2026, 11, 25)  # Wednesday
    assert deadline_light(D(2026, 11, 25), None, today).reason == "今天截止"
    assert deadline_light(D(2026, 11, 25), None, today).colour == YELLOW
    near = deadline_light(D(2026, 11, 30), None, today)  # Thu, Fri, Mon
    assert (near.colour, near.reason) == (YELLOW, "距截止还有3个工作日")
    far = deadline_light(D(2026, 12, 1), None, today)
    assert (far.colour, far.reason) == (GREEN, "距截止还有4个工作日")
    weekend = deadline_light(D(2026, 11, 29), None, D(2026, 11, 28))  # Sunday, seen Saturday
    assert (weekend.colour, weekend.reason) == (YELLOW, "截止前已无工作日")


def test_done_is_blue_and_notes_lateness():
    assert deadline_light(D(2026, 11, 30), D(2026, 11, 30), D(2026, 12, 10)).reason == "已完成"
    late = deadline_light(D(2026, 11, 27), D(2026, 12, 1), D(2026, 12, 10))
    assert (late.colour, late.late, late.reason) == (BLUE, True, "已完成（逾期2个工作日）")
    on_weekend = deadline_light(D(2026, 11, 27), D(2026, 11, 28), D(2026, 12, 10))
    assert on_weekend.late and on_weekend.reason == "已完成（超过截止日）"


def test_not_started_and_no_deadline_are_grey():
    assert deadline_light(D(2026, 12, 31), None, D(2026, 11, 28), start=D(2026, 12, 1)).reason == "未开始"
    assert deadline_light(None, None, D(2026, 11, 28)).colour == GREY


def test_thresholds_come_from_settings(settings):
    today = D(2026, 11, 25)
    settings.DUBAN_LIGHTS = {"yellow_working_days": 5, "yellow_lag_percent": 20}
    assert deadline_light(D(2026, 12, 2), None, today).colour == YELLOW  # 5 working days left
    assert progress_light(Decimal(100), Decimal(35), *YEAR, D(2026, 6, 30)).colour == YELLOW  # 14.6 behind
    settings.DUBAN_LIGHTS = {}
    assert deadline_light(D(2026, 12, 2), None, today).colour == GREEN
    assert progress_light(Decimal(100), Decimal(35), *YEAR, D(2026, 6, 30)).colour == RED


# --- progress ----------------------------------------------------------------------------------


def test_time_progress_counts_calendar_days_with_both_ends():
    assert time_progress(*YEAR, D(2026, 6, 30)) == Decimal(181) / Decimal(365)
    assert time_progress(*YEAR, D(2025, 12, 31)) == 0
    assert time_progress(*YEAR, D(2026, 12, 31)) == 1
    with pytest.raises(ValueError):
        time_progress(D(2026, 2, 1), D(2026, 1, 1), D(2026, 1, 15))


def test_progress_lag_gives_yellow_then_red_with_the_reason():
    """Mid-year time progress is 49.6%: 38% done is 11.6 points behind (red), 45% is 4.6 (yellow)."""
    red = progress_light(Decimal(100), Decimal(38), *YEAR, D(2026, 6, 30))
    assert (red.colour, red.reason, red.lag_percent) == (RED, "进度落后时序11.6%", Decimal("11.6"))
    yellow = progress_light(Decimal(100), Decimal(45), *YEAR, D(2026, 6, 30))
    assert (yellow.colour, yellow.reason) == (YELLOW, "进度落后时序4.6%")
    ahead = progress_light(Decimal(100), Decimal("60.6"), *YEAR, D(2026, 6, 30))
    assert (ahead.colour, ahead.reason) == (GREEN, "进度快于时序11%")


def test_exactly_on_the_line_is_green_and_exactly_the_threshold_is_yellow():
    period = (D(2026, 1, 1), D(2026, 1, 10))  # ten days: day 5 = 50%
    on_time = progress_light(Decimal(200), Decimal(100), *period, D(2026, 1, 5))
    assert (on_time.colour, on_time.reason) == (GREEN, "进度与时序同步")
    at_limit = progress_light(Decimal(200), Decimal(80), *period, D(2026, 1, 5))
    assert (at_limit.colour, at_limit.reason) == (YELLOW, "进度落后时序10%")
    past_limit = progress_light(Decimal(200), Decimal("79.8"), *period, D(2026, 1, 5))
    assert (past_limit.colour, past_limit.reason) == (RED, "进度落后时序10.1%")


def test_done_not_started_missed_and_no_target():
    assert progress_light(Decimal(100), Decimal(100), *YEAR, D(2026, 3, 1)).colour == BLUE
    assert progress_light(Decimal(100), Decimal(0), *YEAR, D(2025, 12, 1)).reason == "未开始"
    missed = progress_light(Decimal(100), Decimal(95), *YEAR, D(2027, 1, 5))
    assert (missed.colour, missed.reason) == (RED, "期末未完成（完成率95%）")
    assert progress_light(None, Decimal(5), *YEAR, D(2026, 3, 1)).reason == "未设定目标"
    assert progress_light(Decimal(0), Decimal(5), *YEAR, D(2026, 3, 1)).colour == GREY


# --- rendering and ordering --------------------------------------------------------------------


def test_light_renders_as_an_escaped_badge():
    light = lights.Light(RED, "逾期3个工作日")
    html = Template(
        "{% load duban_lights %}{{ light|light_badge }}|{{ light.badge }}|{{ none|light_badge }}|{{ light }}"
    ).render(Context({"light": light, "none": None}))
    badge = '<span class="light light-red">逾期3个工作日</span>'
    assert html == f"{badge}|{badge}||逾期3个工作日"
    short = Template('{% load duban_lights %}{{ light|light_badge:"short" }}').render(
        Context({"light": light})
    )
    assert short == '<span class="light light-red" title="逾期3个工作日">红灯</span>'
    evil = Template("{{ light.badge }}").render(Context({"light": lights.Light(RED, "<b>x</b>")}))
    assert "<b>" not in evil and "&lt;b&gt;" in evil


def test_severity_orders_red_yellow_green_grey_blue():
    colours = [BLUE, GREEN, RED, GREY, YELLOW]
    ordered = sorted((lights.Light(c, "") for c in colours), key=lambda x: x.severity, reverse=True)
    assert [x.colour for x in ordered] == [RED, YELLOW, GREEN, GREY, BLUE]
