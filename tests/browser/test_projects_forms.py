"""The supervision office registers a key project on a phone, and a leader approves a land request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from duban.accounts.factories import PASSWORD
from duban.projects.factories import County, make_project
from duban.projects.models import LandRequest, Project
from duban.projects.services.land import propose_allocation, request_land, set_quota

from .conftest import PHONE
from .helpers import horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    county = County("表单县")
    for user, name in ((county.office, "office_form"), (county.leader, "leader_form")):
        user.username = name
        user.save(update_fields=["username"])
    return county


def test_the_office_registers_a_project_on_a_phone_and_bad_input_is_shown(
    browser, live_server, county, shoot
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    log_in(page, "office_form", PASSWORD)
    page.goto(reverse("projects:project_create"))
    page.fill("input[name=name]", "县人民医院新院区")
    page.select_option("select[name=category]", "social")
    page.select_option("select[name=lead_unit]", str(county.dept.pk))
    page.select_option("select[name=location_unit]", str(county.town.pk))
    page.fill("input[name=total_investment]", "60000")
    page.fill("input[name=year_plan_investment]", "15000")
    page.fill("input[name=planned_start]", "2026-03-01")
    page.fill("input[name=planned_completion]", "2026-01-01")
    page.click("form.card button[type=submit]")
    assert "计划竣工日期不能早于计划开工日期" in page.content()
    assert not Project.objects.exists()
    assert horizontal_overflow(page) == 0
    shoot(page, "project-form-error")
    page.fill("input[name=planned_completion]", "2027-12-31")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/projects/*/")
    assert "县人民医院新院区" in page.inner_text("h1")
    assert Project.objects.get().milestones.count() == 6
    shoot(page, "project-page")
    context.close()


def test_a_leader_approves_land_and_the_remaining_quota_follows(page, county, shoot):
    quota = set_quota(
        actor=county.office, county=county.region, year=2026, kind="new_construction",
        total_mu=Decimal(100), land_unit=county.other_dept,
    )  # fmt: skip
    row = request_land(
        make_project(county), actor=county.lead_liaison, quota=quota, area_mu=Decimal(40), stage="supply"
    )
    propose_allocation(quota, actor=county.office, order=[row])
    log_in(page, "leader_form", PASSWORD)
    page.goto(reverse("projects:land_board") + "?year=2026")
    page.get_by_role("button", name="批准").click()
    page.wait_for_load_state()
    assert "60.00" in page.get_by_test_id("land-quota").inner_text()
    assert LandRequest.objects.get().status == "approved"
    shoot(page, "land-board")
