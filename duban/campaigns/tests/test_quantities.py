"""Quantity works: plans per village, reports per period, roll-up to towns, ranking and lights."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.campaigns import queries, services
from duban.campaigns.factories import County, make_campaign
from duban.campaigns.models import QuantityPlan, QuantityReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    county = County(towns=3, villages=2)
    campaign = make_campaign(county, kind="roads", name="村内通道路硬化")
    item = services.add_work_item(
        campaign, actor=county.office, name="道路硬化", measure="road_km", unit_label="公里"
    )
    services.set_plans(item, actor=county.office, plans={v: "2.5" for v in campaign.villages.all()})
    return county, campaign, item, list(campaign.villages.order_by("pk"))


def test_plans_are_set_all_or_nothing_and_audited(setup):
    county, _campaign, item, villages = setup
    assert QuantityPlan.objects.filter(work_item=item).count() == 6
    with pytest.raises(ValidationError, match="不能为负数"):
        services.set_plans(item, actor=county.office, plans={villages[0]: "3", villages[1]: "-1"})
    assert QuantityPlan.objects.get(work_item=item, village=villages[0]).planned == Decimal("2.5")
    assert services.set_plans(item, actor=county.office, plans={villages[0]: "3"}) == 1
    entries = AuditEntry.objects.filter(event=AuditEvent.QUANTITY_PLANNED).order_by("pk")
    assert entries.count() == 2 and list(entries.last().changes.values()) == [["2.50", "3"]]


def test_towns_report_their_villages_and_above_plan_needs_confirmation(setup):
    county, _campaign, item, villages = setup
    own, other = villages[0], villages[2]
    day = datetime.date(2026, 6, 30)
    services.report_quantity(item, own, actor=county.town_liaison, period_end=day, quantity="1.2")
    with pytest.raises(PermissionDenied):
        services.report_quantity(item, other, actor=county.town_liaison, period_end=day, quantity="1")
    with pytest.raises(ValidationError, match="不能为负数"):
        services.report_quantity(item, own, actor=county.town_liaison, period_end=day, quantity="-1")
    with pytest.raises(ValidationError, match="超过计划"):
        services.report_quantity(
            item, own, actor=county.town_liaison, period_end=datetime.date(2026, 7, 31), quantity="1.5"
        )
    assert QuantityReport.objects.count() == 1
    over = services.report_quantity(
        item,
        own,
        actor=county.town_liaison,
        period_end=datetime.date(2026, 7, 31),
        quantity="1.5",
        confirm_over_plan=True,
    )
    assert over.over_plan_confirmed
    assert AuditEntry.objects.filter(event=AuditEvent.QUANTITY_REPORTED).count() == 2


def test_towns_roll_up_from_villages_rank_on_completion_with_ties_and_get_lights(setup):
    county, campaign, item, villages = setup
    day = datetime.date(2026, 6, 30)
    # town 1: 2.5 + 0 of 5 = 50%; town 2: 1.25 + 1.25 of 5 = 50% (tie); town 3: nothing.
    services.report_quantity(item, villages[0], actor=county.office, period_end=day, quantity="2.5")
    services.report_quantity(item, villages[2], actor=county.office, period_end=day, quantity="1.25")
    services.report_quantity(item, villages[3], actor=county.office, period_end=day, quantity="1.25")
    rows = queries.quantity_ranking(campaign)
    got = [(r.town.town, r.planned, r.done, r.percent, r.rank) for r in rows]
    assert got == [
        (county.towns[0], Decimal(5), Decimal("2.5"), Decimal(50), 1),
        (county.towns[1], Decimal(5), Decimal("2.5"), Decimal(50), 1),
        (county.towns[2], Decimal(5), Decimal(0), Decimal(0), 3),
    ]
    [(board_item, lights)] = queries.quantity_board(campaign, day)
    # 30 June is 122/306 of the period (40%): 50% is on track, 0% far behind.
    assert board_item == item and [light.colour for _r, light in lights] == ["green", "green", "red"]
