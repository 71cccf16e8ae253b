"""An inspector scores a village on a phone with a photo, the town ranking updates, the deduction
becomes a rectification order and the town answers it with an after-photo."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.accounts.factories import PASSWORD
from duban.attachments.factories import image_bytes
from duban.campaigns.choices import RectificationStatus
from duban.campaigns.factories import County, make_campaign, make_round, score_and_submit
from duban.campaigns.models import Rectification

from .conftest import PHONE
from .helpers import horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drive():
    county = County(towns=3, villages=2)
    for user, name in ((county.inspector, "inspector_phone"), (county.town_liaison, "town_liaison")):
        user.username = name
        user.save(update_fields=["username"])
    campaign = make_campaign(county)
    round_ = make_round(campaign, county, inspectors=[county.inspector])
    # Town 1 already scored 96; town 2 (the village below) is not scored yet.
    for site in round_.sites.filter(village__town__town=county.towns[1]):
        score_and_submit(round_, site, county.inspector, {"污水横流": 2})
    return county, round_


def log_in(page, username: str) -> None:
    # The login form itself (the page also carries the language switcher's form).
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) button[type=submit]").click()


def upload(page, scope, name: str) -> None:
    form = scope.locator("form:has(input[name=uploads])").first
    form.locator("input[name=uploads]").set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes(gps=True)}
    )
    with page.expect_response(lambda r: "/upload/" in r.url):
        form.locator("button[type=submit]").click()


def test_an_inspector_scores_on_a_phone_and_the_town_answers_the_order(browser, live_server, drive, shoot):
    county, round_ = drive
    site = round_.sites.filter(village__town__town=county.towns[0]).order_by("pk").first()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "inspector_phone")
    page.goto(reverse("campaigns:round_detail", args=[round_.pk]))
    rows = page.get_by_test_id("town-ranking").locator("tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-town") == county.towns[1].name
    page.goto(reverse("campaigns:score_site", args=[round_.pk, site.pk]))
    item = round_.sheet.items.get(name="垃圾乱堆乱放")
    for _ in range(3):
        page.click(f"button[data-step='1'][data-for='count-{item.pk}']")
    assert page.input_value(f"#count-{item.pk}") == "3"
    page.fill(f"#note-{item.pk}", "村口三处垃圾")
    with page.expect_navigation():
        page.click("text=保存打分")
    assert "97.00" in page.get_by_test_id("site-total").inner_text()
    deduction = page.get_by_test_id(f"deduction-{item.pk}")
    upload(page, deduction, "before.jpg")
    assert horizontal_overflow(page) == 0
    shoot(page, "campaign-score-site")
    with page.expect_navigation():
        page.click("text=提交得分（提交后不能修改）")
    assert "已提交" in page.get_by_test_id("site-total").inner_text()

    page.goto(reverse("campaigns:round_detail", args=[round_.pk]))
    rows = page.get_by_test_id("town-ranking").locator("tbody tr")
    assert rows.count() == 2 and rows.first.get_attribute("data-town") == county.towns[0].name  # 97 > 96
    assert "97.00" in rows.first.inner_text()
    shoot(page, "campaign-round")

    page.goto(reverse("campaigns:score_site", args=[round_.pk, site.pk]))
    with page.expect_navigation():
        page.click("text=下达整改通知")
    order = Rectification.objects.get()
    assert order.town.town == county.towns[0]
    context.close()

    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "town_liaison")
    page.goto(reverse("campaigns:rectification", args=[order.pk]))
    upload(page, page, "after.jpg")
    page.fill("#answer-text", "已清理完毕")
    with page.expect_navigation():
        page.click("text=提交整改情况")
    order.refresh_from_db()
    assert order.status == RectificationStatus.ANSWERED
    assert horizontal_overflow(page) == 0
    shoot(page, "campaign-rectification")
    page.goto(reverse("campaigns:town_detail", args=[order.town.pk]))
    assert "已反馈待核验" in page.get_by_test_id("town-rectifications").inner_text()
    shoot(page, "campaign-town")
    context.close()
