"""The board, the lagging list and one indicator's page: permissions and a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.indicators.choices import ValueSource, ValueStatus
from duban.indicators.factories import make_indicator
from duban.indicators.models import AnnualTarget, IndicatorValue
from duban.org.choices import RegionLevel
from duban.org.factories import make_county, make_region, make_unit

pytestmark = pytest.mark.django_db


def build(n_indicators: int, n_counties: int, n_periods: int):
    home = make_county(f"看板县{n_indicators}")
    peers = [home] + [
        make_region(f"同城{n_indicators}-{i}", level=RegionLevel.COUNTY, parent=home.parent)
        for i in range(n_counties - 1)
    ]
    unit = make_unit(f"看板局{n_indicators}", region=home)
    keys = [y * 100 + m for y in (2025, 2026) for m in range(1, 13)][:n_periods]
    rows = []
    for i in range(n_indicators):
        ind = make_indicator(home, unit, name=f"看板指标{n_indicators}-{i}", weight="5")
        AnnualTarget.objects.create(indicator=ind, year=keys[-1] // 100, value=100, target_place=3)
        rows += [
            official(ind, county, k, 10 + (c * 7 + i + k) % 13)
            for c, county in enumerate(peers)
            for k in keys
        ]
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    leader = make_user_with_role(Role.COUNTY_LEADER, region=home)
    return home, leader, ind


def official(ind, county, period, value):
    return IndicatorValue(
        indicator=ind,
        county=county,
        period=period,
        value=value,
        status=ValueStatus.VERIFIED,
        source=ValueSource.BULLETIN,
        is_official=True,
    )


def count(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_board_runs_a_constant_number_of_queries(client):
    _h, small_leader, small_ind = build(2, 3, 4)
    _h, big_leader, big_ind = build(40, 11, 24)
    small, _r = count(client, small_leader, reverse("indicators:board"))
    big, response = count(client, big_leader, reverse("indicators:board"))
    assert small == big
    body = response.content.decode()
    assert "看板指标40-39" in body and "/11" in body and "位次得分合计" in body
    assert "最值得发力的指标" in body
    assert "导入市统计公报" not in body  # a leader neither verifies nor runs the catalogue
    small_d, _r = count(client, small_leader, reverse("indicators:indicator_detail", args=[small_ind.pk]))
    big_d, response = count(client, big_leader, reverse("indicators:indicator_detail", args=[big_ind.pk]))
    assert small_d == big_d
    body = response.content.decode()
    assert 'id="trend-data"' in body and "echarts-5.6.0.min.js" in body and "<script>" not in body


def test_another_countys_indicator_is_404_and_the_lagging_list_filters(client):
    _home, leader, ind = build(2, 11, 2)
    stranger = make_user_with_role(Role.COUNTY_LEADER, region=make_county("别县"))
    client.force_login(stranger)
    assert client.get(reverse("indicators:indicator_detail", args=[ind.pk])).status_code == 404
    assert "看板指标" not in client.get(reverse("indicators:board")).content.decode()
    client.force_login(leader)
    lagging = client.get(reverse("indicators:lagging")).content.decode()
    board = client.get(reverse("indicators:board")).content.decode()
    assert lagging.count('<tr class="lagging">') == board.count('<tr class="lagging">')
    assert lagging.count("<tr") <= board.count("<tr")
