"""The campaigns API: lists in scope, scoring through the API, Chinese 422s, transitions, sanctions."""

import pytest

from duban.campaigns import services
from duban.campaigns.factories import County, make_campaign, make_round, score_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive():
    county = County(towns=3, villages=1)
    campaign = make_campaign(county)
    round_ = make_round(campaign, county, inspectors=[county.inspector])
    return county, campaign, round_


def test_campaigns_and_rounds_in_scope(client, drive):
    county, _campaign, round_ = drive
    client.force_login(county.town_liaison)
    assert client.get("/api/v1/campaigns").json()["count"] == 1
    assert client.get("/api/v1/inspections").json()["count"] == 0  # ranking not published
    assert client.get(f"/api/v1/inspections/{round_.pk}").status_code == 404
    client.force_login(county.office)
    body = client.get(f"/api/v1/inspections/{round_.pk}").json()
    assert len(body["sites"]) == 3 and body["ranking"] == []


def test_an_inspector_scores_through_the_api_and_bad_input_is_a_chinese_422(client, drive):
    county, campaign, round_ = drive
    other = make_round(campaign, county, inspectors=[county.inspector])
    site = round_.sites.filter(village__town__town=county.towns[1]).first()
    item = round_.sheet.items.get(name="垃圾乱堆乱放")
    client.force_login(county.inspector)
    url = f"/api/v1/inspections/{round_.pk}/sites/{site.pk}/score"
    bad = client.post(
        url, {"deductions": [{"item": item.pk, "points": "25"}]}, content_type="application/json"
    )
    assert bad.status_code == 422 and "超过该项分值" in str(bad.json())
    outside = client.post(
        f"/api/v1/inspections/{other.pk}/sites/{site.pk}/score",
        {"deductions": []},
        content_type="application/json",
    )
    assert outside.status_code == 422 and "不在本轮检查范围内" in str(outside.json())
    ok = client.post(url, {"deductions": [{"item": item.pk, "count": 2}]}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["total"] == "98.00"
    assert client.post(f"{url[:-6]}/submit").status_code == 200
    again = client.post(f"{url[:-6]}/submit")
    assert again.status_code == 422 and "不能再次提交" in str(again.json())
    ranking = client.get(f"/api/v1/campaigns/{campaign.pk}").json()["ranking"]
    assert ranking == [
        {
            "town_id": ranking[0]["town_id"],
            "town": county.towns[1].name,
            "score": "98.00",
            "rank": 1,
            "sites": 1,
        }
    ]


def test_rectification_transitions_and_sanctions(client, drive):
    county, campaign, round_ = drive
    site = round_.sites.filter(village__town__town=county.towns[0]).first()
    score = score_and_submit(round_, site, county.inspector, {"污水横流": 1})
    client.force_login(county.inspector)
    created = client.post(
        "/api/v1/rectifications",
        {"deduction": score.deductions.get().pk, "requirement": "疏通排水"},
        content_type="application/json",
    )
    assert created.status_code == 201
    order_id = created.json()["id"]
    client.force_login(county.town_liaison)
    refused = client.post(
        f"/api/v1/rectifications/{order_id}/answer", {"text": "已疏通"}, content_type="application/json"
    )
    assert refused.status_code == 422 and "整改后照片" in str(refused.json())
    assert client.get("/api/v1/rectifications").json()["count"] == 1
    client.force_login(county.other_town_liaison)
    assert client.get(f"/api/v1/rectifications/{order_id}").status_code == 404
    services.add_sanction_rule(
        campaign, actor=county.office, trigger="top_places", kind="commend", text="表扬", amount=1000
    )
    client.force_login(county.office)
    proposed = client.post(f"/api/v1/inspections/{round_.pk}/sanctions/propose")
    assert proposed.status_code == 200 and proposed.json()["sanctions"][0]["kind"] == "commend"
    assert client.post(f"/api/v1/inspections/{round_.pk}/sanctions/publish").status_code == 422
    assert client.get("/api/v1/sanctions").json()["count"] == 1


def test_quantities_api(client, drive):
    county, campaign, _round = drive
    item = services.add_work_item(
        campaign, actor=county.office, name="户厕改造", measure="toilets", unit_label="户"
    )
    village = campaign.villages.get(town__town=county.towns[0])
    services.set_plans(item, actor=county.office, plans={v: 10 for v in campaign.villages.all()})
    client.force_login(county.town_liaison)
    url = f"/api/v1/campaigns/{campaign.pk}/quantities"
    payload = {"work_item": item.pk, "village": village.pk, "period_end": "2026-06-30", "quantity": "-1"}
    assert client.post(url, payload, content_type="application/json").status_code == 422
    payload["quantity"] = "4"
    assert client.post(url, payload, content_type="application/json").status_code == 201
    rows = client.get(url).json()
    assert rows[0]["town"] == county.towns[0].name and rows[0]["percent"] == "40.00" and rows[0]["rank"] == 1
