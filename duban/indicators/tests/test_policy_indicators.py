"""Who sees which figures: official ones the whole county, drafts only the unit, leaders and the office."""

import datetime

import pytest

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.indicators import services
from duban.indicators.factories import reporting_setup
from duban.indicators.models import Indicator, IndicatorValue
from duban.indicators.periods import Period
from duban.org.factories import make_county, make_unit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def visible(user):
    return set(IndicatorValue.objects.visible_to(user).values_list("status", flat=True))


def test_drafts_stay_in_the_unit_official_figures_reach_the_county_and_no_further():
    s = reporting_setup()
    draft = services.enter_value(s.indicator, actor=s.liaison, period=Period(2026, 9), value="1", today=TODAY)
    row = services.enter_value(s.indicator, actor=s.liaison, period=Period(2026, 10), value="1", today=TODAY)
    services.approve_value(services.submit_value(row, actor=s.liaison), actor=s.head)
    other_unit = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit("商务局", region=s.county))
    leader = make_user_with_role(Role.COUNTY_LEADER, region=s.county)
    foreign = make_user_with_role(Role.COUNTY_LEADER, region=make_county("外县"))

    assert visible(s.liaison) == {"draft", "approved"}
    assert visible(leader) == {"draft", "approved"}
    assert visible(s.office) == {"draft", "approved"}
    assert visible(other_unit) == {"approved"}
    assert visible(s.stats) == {"approved"}  # the statistics bureau never sees another unit's draft
    assert visible(foreign) == set()
    assert Indicator.objects.visible_to(other_unit).count() == 1
    assert Indicator.objects.visible_to(foreign).count() == 0
    assert not IndicatorValue.objects.visible_to(other_unit, "change").filter(pk=draft.pk).exists()
