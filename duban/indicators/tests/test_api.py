"""/api/v1 for indicators: lists with current figures, ranking, submit and transitions, look-backs."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators.choices import Frequency
from duban.indicators.factories import make_indicator, make_official_value, reporting_setup
from duban.indicators.models import AnnualTarget, IndicatorValue
from duban.indicators.periods import latest_closed
from duban.org.choices import RegionLevel
from duban.org.factories import make_county, make_region

pytestmark = pytest.mark.django_db
API = "/api/v1"


def world(n=1):
    s = reporting_setup(name="一般公共预算收入", weight="5")
    peers = [
        make_region(f"接口同城{s.county.pk}-{i}", level=RegionLevel.COUNTY, parent=s.county.parent)
        for i in range(2)
    ]
    indicators = [s.indicator] + [make_indicator(s.county, s.unit, weight="2") for _ in range(n - 1)]
    for ind in indicators:
        AnnualTarget.objects.create(indicator=ind, year=2026, value=100, target_place=1)
        make_official_value(ind, s.county, 202609, "7")
        make_official_value(ind, peers[0], 202609, "8")
        make_official_value(ind, peers[1], 202609, "6.5")
    return s, peers


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_list_carries_current_figures_with_constant_queries(client):
    s, _ = world(1)
    client.force_login(s.head)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{API}/indicators")
    s2, _ = world(6)
    client.force_login(s2.head)
    with CaptureQueriesContext(connection) as big:
        body = client.get(f"{API}/indicators").json()
    assert len(small.captured_queries) == len(big.captured_queries)
    item = next(i for i in body["items"] if i["name"] == "一般公共预算收入")
    assert (item["place"], item["peers"], item["score"], item["lagging"], item["period"]) == (
        2,
        3,
        "4.75",
        True,
        "2026-09",
    )
    assert client.get(f"{API}/indicators?group=nonsense").status_code == 422


def test_ranking_and_simulator(client):
    s, _ = world()
    client.force_login(s.head)
    body = client.get(f"{API}/indicators/{s.indicator.pk}/ranking?period=2026-09").json()
    assert [p["place"] for p in body["peers"]] == [1, 2, 3]
    assert (body["own_place"], body["gap_up"], body["gap_target"], body["cushion"]) == (
        2,
        "1.0000",
        "1.0000",
        "0.5000",
    )
    assert client.get(f"{API}/indicators/{s.indicator.pk}/ranking?period=2026-13").status_code == 422
    stranger = make_user_with_role(Role.COUNTY_LEADER, region=make_county("接口外县"))
    client.force_login(stranger)
    assert client.get(f"{API}/indicators/{s.indicator.pk}/ranking?period=2026-09").status_code == 404


def test_submit_and_transitions_through_the_api(client):
    s, _ = world()
    period = latest_closed(Frequency.MONTHLY, timezone.localdate()).code
    client.force_login(s.liaison)
    bad = post(
        client, f"{API}/indicator-values", {"indicator": s.indicator.pk, "period": period, "value": "１２"}
    )
    assert bad.status_code == 422 and "全角" in bad.json()["errors"]["value"][0]
    created = post(
        client, f"{API}/indicator-values", {"indicator": s.indicator.pk, "period": period, "value": "7.2"}
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert post(client, f"{API}/indicator-values/{pk}/submit").json()["status"] == "submitted"
    assert post(client, f"{API}/indicator-values/{pk}/approve").status_code == 403
    client.force_login(s.head)
    assert post(client, f"{API}/indicator-values/{pk}/return", {"reason": ""}).status_code == 422
    assert post(client, f"{API}/indicator-values/{pk}/approve").json()["is_official"] is True
    assert post(client, f"{API}/indicator-values/{pk}/fly").status_code == 404
    client.force_login(s.stats)
    assert post(client, f"{API}/indicator-values/{pk}/verify").json()["status"] == "verified"
    drafts = client.get(f"{API}/indicator-values?official=false").json()
    assert drafts["count"] == 0
    assert IndicatorValue.objects.filter(pk=pk, status="verified").exists()


def test_look_backs_are_listed(client):
    from duban.indicators.services.lookback import launch_look_back

    s, _ = world()
    launch_look_back(actor=s.office, county=s.county, title="回头看", indicators=[s.indicator])
    client.force_login(s.liaison)
    body = client.get(f"{API}/look-backs").json()
    assert body["count"] == 1 and body["items"][0]["items"][0]["plan_status"] == "pending"
    detail = client.get(f"{API}/look-backs/{body['items'][0]['id']}").json()
    assert detail["title"] == "回头看"


def test_leverage_lists_where_a_place_is_cheapest(client):
    s, _ = world()
    client.force_login(s.head)
    [item] = client.get(f"{API}/indicators/leverage").json()
    # 7 is 2nd behind 8; spread 8 - 6.5 = 1.5; gap 1 -> effort 0.6667; one place = 5 x 5% = 0.25
    assert (item["place"], item["up_value"], item["score_gain"], item["effort"]) == (
        2,
        "8.0000",
        "0.25",
        "0.6667",
    )
    assert item["per_effort"] == "0.38"  # 0.25 / 0.6666…


def test_ranking_without_a_period_uses_the_boards(client):
    s, _ = world()
    client.force_login(s.liaison)
    body = client.get(f"{API}/indicators/{s.indicator.pk}/ranking").json()
    assert body["period"] == "2026-09" and body["own_place"] == 2


def test_the_office_sets_a_target_through_the_api_and_others_cannot(client):
    """Given the office, then POST …/targets stores the target (audited); bad figures give 422 and
    nothing saved; the owning unit gets 403 and another county's office 404."""
    s = reporting_setup()
    url = f"/api/v1/indicators/{s.indicator.pk}/targets"

    def post(body):
        return client.post(url, body, content_type="application/json")

    client.force_login(s.office)
    response = post({"year": 2026, "value": "88.5", "target_place": 2})
    assert response.status_code == 200, response.content
    assert Decimal(response.json()["value"]) == Decimal("88.5") and response.json()["target_place"] == 2
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATOR_TARGET_SET).count() == 1
    bad = post({"year": 2027, "value": "一百"})
    assert bad.status_code == 422 and "value" in bad.json()["errors"]
    assert not AnnualTarget.objects.filter(indicator=s.indicator, year=2027).exists()
    client.force_login(s.liaison)
    assert post({"year": 2026, "value": "1"}).status_code == 403
    client.force_login(reporting_setup().office)
    assert post({"year": 2026, "value": "1"}).status_code == 404
    assert AnnualTarget.objects.get(indicator=s.indicator, year=2026).value == Decimal("88.5")
