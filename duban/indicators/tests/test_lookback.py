"""The look-back drive: launched over lagging indicators, plans by the owning units, tracked, summed up."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators.choices import LookBackStatus, PlanStatus
from duban.indicators.factories import make_indicator, make_official_value, reporting_setup
from duban.indicators.models import AnnualTarget
from duban.indicators.services.lookback import (
    close_look_back,
    launch_look_back,
    plan_submitted,
    submit_look_back_plan,
)
from duban.notifications.models import Notification
from duban.org.choices import RegionLevel
from duban.org.factories import make_region

pytestmark = pytest.mark.django_db


def lagging_world(n_indicators=1):
    """The home county 3rd of 3 in September 2026 (bottom third) for each indicator."""
    s = reporting_setup()
    peers = [
        make_region(f"回看同城{s.county.pk}-{i}", level=RegionLevel.COUNTY, parent=s.county.parent)
        for i in range(2)
    ]
    indicators = [s.indicator] + [make_indicator(s.county, s.unit) for _ in range(n_indicators - 1)]
    for ind in indicators:
        AnnualTarget.objects.create(indicator=ind, year=2026, value=10, target_place=1)
        for period, own in ((202609, 1), (202610, 6)):
            make_official_value(ind, s.county, period, own)
            make_official_value(ind, peers[0], period, 5)
            make_official_value(ind, peers[1], period, 9)
    return s, indicators


def plan(item, actor, **overrides):
    fields = {
        "causes": "重点项目投产滞后",
        "measures": "加快技改项目入统",
        "responsible_person": "王局长",
        "deadline": datetime.date(2026, 12, 31),
        "expected_value": "8",
        "today": datetime.date(2026, 11, 28),
    }
    return submit_look_back_plan(item, actor=actor, **{**fields, **overrides})


def test_the_office_launches_over_lagging_indicators_and_units_are_notified():
    s, [ind] = lagging_world()
    look_back = launch_look_back(actor=s.office, county=s.county, title="三季度指标回头看", indicators=[ind])
    item = look_back.items.get()
    assert (item.start_period, item.start_place, item.plan_status) == (202610, 2, PlanStatus.PENDING)
    entry = AuditEntry.objects.get(event=AuditEvent.LOOKBACK_LAUNCHED)
    assert entry.target_id == str(look_back.pk) and entry.changes["indicators"] == [None, [ind.pk]]
    assert Notification.objects.filter(recipient=s.liaison, kind="indicators.look_back").exists()


def test_only_lagging_indicators_and_only_the_office():
    s, [ind] = lagging_world()
    other = make_indicator(s.county, s.unit, name="不靠后的指标")
    with pytest.raises(ValidationError, match="不靠后的指标"):
        launch_look_back(actor=s.office, county=s.county, title="x", indicators=[ind, other])
    with pytest.raises(PermissionDenied):
        launch_look_back(actor=s.liaison, county=s.county, title="x", indicators=[ind])


def test_a_unit_submits_its_plan_checked_audited_and_signalled(django_capture_on_commit_callbacks):
    s, [ind] = lagging_world()
    item = launch_look_back(actor=s.office, county=s.county, title="回头看", indicators=[ind]).items.get()
    with pytest.raises(ValidationError) as exc:
        plan(item, s.liaison, causes="", expected_value="８", deadline=datetime.date(2026, 1, 1))
    assert {"causes", "expected_value", "deadline"} <= set(exc.value.error_dict)
    with pytest.raises(PermissionDenied):
        plan(item, s.stats)
    received = []
    plan_submitted.connect(lambda sender, item, **kw: received.append(item.pk), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            item = plan(item, s.liaison)
    finally:
        plan_submitted.disconnect(dispatch_uid="t")
    assert item.plan_status == PlanStatus.SUBMITTED and item.expected_value == Decimal(8)
    assert received == [item.pk]
    entry = AuditEntry.objects.get(event=AuditEvent.LOOKBACK_PLAN_SUBMITTED)
    assert entry.changes["expected_value"] == [None, "8"]


def test_closing_needs_a_summary_and_locks_the_plans():
    s, [ind] = lagging_world()
    look_back = launch_look_back(actor=s.office, county=s.county, title="回头看", indicators=[ind])
    with pytest.raises(ValidationError, match="请填写总结"):
        close_look_back(look_back, actor=s.office, summary=" ")
    look_back = close_look_back(look_back, actor=s.office, summary="两项指标位次回升")
    assert look_back.status == LookBackStatus.CLOSED
    assert AuditEntry.objects.filter(event=AuditEvent.LOOKBACK_CLOSED, target_id=str(look_back.pk)).exists()
    with pytest.raises(ValidationError, match="已总结"):
        plan(look_back.items.get(), s.liaison)


def detail_queries(client, n):
    s, indicators = lagging_world(n)
    look_back = launch_look_back(actor=s.office, county=s.county, title="回头看", indicators=indicators)
    client.force_login(s.liaison)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("indicators:look_back_detail", args=[look_back.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_detail_page_tracks_each_item_with_constant_queries(client):
    small, _ = detail_queries(client, 1)
    big, body = detail_queries(client, 5)
    assert small == big
    assert "提交整改计划" in body and "light-red" in body
