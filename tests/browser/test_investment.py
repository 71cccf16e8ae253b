"""A department's liaison moves a lead from contacted to signed in the browser; the leader's pipeline
and the department's target progress show the signing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import PASSWORD, make_user_with_role
from duban.investment import moves, services
from duban.investment.factories import make_investment_county, make_lead

from .helpers import horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene():
    county = make_investment_county("示范县")
    dept = county.departments[0]
    liaison = make_user_with_role(
        Role.UNIT_LIAISON, unit=dept, username="inv_liaison", must_change_password=False
    )
    leader = make_user_with_role(
        Role.COUNTY_LEADER, region=county.region, username="inv_leader", must_change_password=False
    )
    services.set_target(
        actor=county.office,
        unit=dept,
        year=datetime.date.today().year,
        signed_projects=2,
        signed_amount=Decimal("20000"),
    )
    today = datetime.date.today()
    lead = make_lead(
        county,
        source_unit=dept,
        registered_on=today - datetime.timedelta(days=10),
        project_name="年产5万套精密零部件项目",
        planned_investment=Decimal("12000"),
    )
    moves.contact_lead(lead, actor=liaison, date=today - datetime.timedelta(days=9))
    return county, dept, liaison, leader, lead


def test_a_liaison_signs_a_lead_and_the_leader_sees_it(page, browser, live_server, scene, shoot):
    _county, dept, _liaison, _leader, lead = scene
    today = datetime.date.today().isoformat()
    log_in(page, "inv_liaison", PASSWORD)
    page.goto(reverse("investment:lead_detail", args=[lead.pk]))
    assert page.get_by_test_id("lead-stage").inner_text() == "接洽"
    page.locator("summary", has_text="洽谈").click()
    form = page.get_by_test_id("move-negotiate")
    form.locator("input[name=negotiate-date]").fill(today)
    with page.expect_navigation():
        form.get_by_role("button", name="确认洽谈").click()
    assert page.get_by_test_id("lead-stage").inner_text() == "洽谈"

    sign = page.get_by_test_id("move-sign")  # open by default once negotiating
    sign.locator("input[name=sign-date]").fill(today)
    sign.locator("input[name=sign-contract_date]").fill(today)
    sign.locator("input[name=sign-contract_amount]").fill("9000")
    sign.locator("input[name=sign-contract_parties]").fill("示范县人民政府、投资方")
    shoot(page, "investment-lead-signing")
    with page.expect_navigation():
        sign.get_by_role("button", name="确认签约").click()
    assert page.get_by_test_id("lead-stage").inner_text() == "签约"
    assert "9,000.00" in page.get_by_test_id("contract-amount").inner_text()
    assert horizontal_overflow(page) == 0
    shoot(page, "investment-lead-signed")

    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    boss = context.new_page()
    log_in(boss, "inv_leader", PASSWORD)
    boss.goto(reverse("investment:pipeline"))
    assert boss.get_by_test_id("signed-projects").inner_text() == "1"
    assert "9,000.00" in boss.get_by_test_id("signed-amount").inner_text()
    assert boss.locator("[data-testid=funnel-table] tr[data-stage=signed] td").nth(1).inner_text() == "1"
    boss.locator(
        "#funnel-chart svg"
    ).wait_for()  # the ECharts funnel drew itself (CSP allows the static file)
    shoot(boss, "investment-pipeline-leader")
    boss.goto(reverse("investment:targets"))
    row = boss.locator(f"[data-testid=progress-units] tr[data-unit='{dept.pk}']")
    assert row.locator("td[data-figure=signed_projects]").inner_text().startswith("1")
    assert "9,000.00" in row.locator("td[data-figure=signed_amount]").inner_text()
    assert horizontal_overflow(boss) == 0
    shoot(boss, "investment-targets-leader")
    context.close()
