"""The demo data: deterministic figures, the scenario the docs promise, idempotent."""

import random

import pytest

from duban.indicators.choices import ValueStatus
from duban.indicators.demo import Figures
from duban.indicators.demo_data import INDICATORS, LAGGING
from duban.indicators.models import Indicator, IndicatorValue, LookBack
from duban.indicators.periods import Period
from duban.org.demo.build import build_demo


def test_the_same_seed_gives_the_same_figures():
    a, b = Figures(random.Random(5), 11), Figures(random.Random(5), 11)
    for row in INDICATORS:
        period = Period(2026, 12, row[6])
        assert [a.value(row, c, period) for c in range(11)] == [b.value(row, c, period) for c in range(11)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_the_demo_builds_the_scenario_once():
    build_demo(password="Demo-Pass-2026!", modules=["indicators"])
    assert Indicator.objects.count() == len(INDICATORS) == 40
    home = Indicator.objects.first().county
    assert IndicatorValue.objects.exclude(county=home).values("county").distinct().count() == 10
    assert IndicatorValue.objects.filter(county=home, status=ValueStatus.DRAFT).count() == 1
    assert IndicatorValue.objects.filter(county=home, status=ValueStatus.SUBMITTED).count() == 1
    assert IndicatorValue.objects.filter(county=home, version=2, is_official=True).count() == 2
    look_back = LookBack.objects.get()
    codes = set(look_back.items.values_list("indicator__code", flat=True))
    assert set(LAGGING) <= codes
    assert look_back.items.filter(plan_status="submitted").count() == 2
    values = IndicatorValue.objects.count()
    build_demo(password="Demo-Pass-2026!", modules=["indicators"])
    assert IndicatorValue.objects.count() == values and LookBack.objects.count() == 1
