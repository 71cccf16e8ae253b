"""A leader on a phone opens the showcase board and sees which projects will miss the standard and why."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.accounts.factories import PASSWORD
from duban.projects import services
from duban.projects.factories import County, make_project, make_showcase

from .conftest import PHONE
from .helpers import horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tour():
    county = County("示范县")
    county.leader.username = "leader_phone"
    county.leader.save(update_fields=["username"])
    today = timezone.localdate()
    showcase = make_showcase(county, date=today + datetime.timedelta(days=14))
    ready = make_project(county, name="智能装备产业园")
    behind = make_project(county, name="新能源电池材料项目")
    for project, results in ((ready, ["met"] * 5), (behind, ["met", "not_met", "not_met", "partly", "met"])):
        for criterion, result in zip(showcase.criteria.all(), results, strict=True):
            services.assess_readiness(criterion, project, actor=county.office, result=result)
    services.add_gap(
        showcase,
        behind,
        actor=county.office,
        what="二期厂房主体未封顶",
        owner_unit=county.dept,
        due_date=today + datetime.timedelta(days=7),
    )
    return showcase


def test_a_leader_on_a_phone_sees_which_projects_will_miss_the_standard(browser, live_server, tour, shoot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    log_in(page, "leader_phone", PASSWORD)
    page.goto(reverse("projects:showcase_board", args=[tour.pk]))

    assert "1个项目可能达不到观摩标准" in page.get_by_test_id("missing-count").inner_text()
    first = page.get_by_test_id("showcase-card").first
    text = first.inner_text()
    assert first.get_attribute("data-light") == "red"
    assert "新能源电池材料项目" in text and "对照观摩要求还有明显差距" in text
    assert "形象进度" in text and "二期厂房主体未封顶" in text
    assert "还有" in page.get_by_test_id("countdown").inner_text()
    assert horizontal_overflow(page) == 0
    shoot(page, "showcase-board")
    context.close()
