"""Pages: dashboard, round, town, the phone scoring page; query counts do not grow with rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.attachments.factories import image_bytes
from duban.attachments.services import add_attachment
from duban.campaigns import services
from duban.campaigns.choices import ScoreStatus
from duban.campaigns.factories import County, make_campaign, make_round, score_and_submit
from duban.campaigns.models import Rectification, SiteScore

pytestmark = pytest.mark.django_db


def build(towns: int, villages: int, rounds: int):
    county = County(towns=towns, villages=villages)
    campaign = make_campaign(county)
    for name in ("道路硬化", "户厕改造"):
        item = services.add_work_item(
            campaign, actor=county.office, name=name, measure="other", unit_label="个"
        )
        services.set_plans(item, actor=county.office, plans={v: 4 for v in campaign.villages.all()})
        for v in campaign.villages.all():
            services.report_quantity(
                item, v, actor=county.office, period_end=campaign.start_date, quantity=v.pk % 5
            )
    made = []
    for _ in range(rounds):
        round_ = make_round(campaign, county, inspectors=[county.inspector])
        for n, site in enumerate(round_.sites.all()):
            score = score_and_submit(round_, site, county.inspector, {"垃圾乱堆乱放": n % 4})
            if n % 4:
                services.issue_rectification(
                    score.deductions.get(), actor=county.inspector, requirement="整改"
                )
        made.append(round_)
    return county, campaign, made


def count_queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm caches (sessions, calendar)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["dashboard", "round", "town"])
def test_query_counts_do_not_grow_with_rows(client, page):
    counts = []
    for size in ((2, 1, 1), (5, 3, 3)):
        county, campaign, rounds = build(*size)
        url = {
            "dashboard": reverse("campaigns:campaign_detail", args=[campaign.pk]),
            "round": reverse("campaigns:round_detail", args=[rounds[-1].pk]),
            "town": reverse("campaigns:town_detail", args=[campaign.towns.first().pk]),
        }[page]
        counts.append(count_queries(client, county.office, url))
    assert counts[0] == counts[1], counts


def test_the_dashboard_shows_the_ranking_as_a_table_and_chart_data(client):
    county, campaign, _rounds = build(3, 2, 1)
    client.force_login(county.leader)
    html = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="town-ranking"' in html and 'id="ranking-data"' in html and "echarts-5.6.0" in html
    assert 'data-testid="open-rectifications"' in html and "工作量：道路硬化" in html


def test_a_town_sees_its_own_page_and_only_published_rankings(client):
    county, campaign, rounds = build(3, 2, 1)
    own, other = campaign.towns.order_by("pk")[:2]
    client.force_login(county.town_liaison)
    page = client.get(reverse("campaigns:town_detail", args=[own.pk])).content.decode()
    assert "排名公布后可见" in page
    assert client.get(reverse("campaigns:round_detail", args=[rounds[0].pk])).status_code == 404
    services.publish_ranking(rounds[0], actor=county.office)
    assert client.get(reverse("campaigns:round_detail", args=[rounds[0].pk])).status_code == 200
    other_page = client.get(reverse("campaigns:town_detail", args=[other.pk])).content.decode()
    assert other.town.name in other_page and "村庄得分" in other_page
    scores = SiteScore.objects.visible_to(county.town_liaison)
    assert {s.site.village.town_id for s in scores} == {own.pk}


def test_the_inspector_scores_a_site_on_the_phone_page_with_a_photo_and_orders_a_fix(client):
    county = County()
    campaign = make_campaign(county)
    round_ = make_round(campaign, county, inspectors=[county.inspector])
    site = round_.sites.filter(village__town__town=county.towns[1]).first()
    item = round_.sheet.items.get(name="垃圾乱堆乱放")
    url = reverse("campaigns:score_site", args=[round_.pk, site.pk])
    client.force_login(county.inspector)
    page = client.get(url).content.decode()
    assert 'data-step="1"' in page and "保存打分" in page
    refused = client.post(url, {f"count-{item.pk}": "-2"}, follow=True).content.decode()
    assert "不能为负数" in refused and not SiteScore.objects.exists()
    client.post(url, {f"count-{item.pk}": "3", f"note-{item.pk}": "村口三处垃圾"})
    score = SiteScore.objects.get()
    deduction = score.deductions.get()
    upload = SimpleUploadedFile("before.jpg", image_bytes(gps=True), content_type="image/jpeg")
    add_attachment(deduction, upload, actor=county.inspector, kind="photo")
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page or 'accept="image' in page
    client.post(reverse("campaigns:submit_score", args=[round_.pk, site.pk]))
    score.refresh_from_db()
    assert score.status == ScoreStatus.FINAL and score.total == 97
    again = client.post(reverse("campaigns:submit_score", args=[round_.pk, site.pk]), follow=True)
    assert "不能再次提交" in again.content.decode()
    client.post(
        reverse("campaigns:issue_rectification", args=[deduction.pk]),
        {"requirement": "清理", "working_days": "3"},
    )
    assert Rectification.objects.get().town.town == county.towns[1]
    dashboard = client.get(reverse("campaigns:round_detail", args=[round_.pk])).content.decode()
    assert f'data-town="{county.towns[1].name}"' in dashboard
