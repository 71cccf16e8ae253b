"""Counting rules, progress against targets and ranking, follow-up lights, the 年前 push, idle units."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from duban.core import calendar
from duban.investment import moves, queries, services
from duban.investment.choices import TargetBasis
from duban.investment.factories import make_lead
from duban.investment.models import DuplicateClaim, Lead

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 27)


def sign(county, lead, amount="8000", when=D(2026, 10, 5)):
    moves.contact_lead(lead, actor=county.office, date=when)
    moves.negotiate_lead(lead, actor=county.office, date=when)
    contract = {"contract_date": when, "contract_amount": Decimal(amount), "contract_parties": "双方"}
    moves.sign_lead(lead, actor=county.office, date=when, contract=contract)


def test_a_lead_counts_once_per_stage_even_when_signed_twice(county):
    """Signed, stepped back, signed again: one signed project, counted at its last amount."""
    lead = make_lead(county, registered_on=D(2026, 10, 1))
    sign(county, lead)
    moves.step_back_lead(
        lead, actor=county.office, date=D(2026, 10, 6), to_stage="negotiating", reason="改签"
    )
    contract = {
        "contract_date": D(2026, 10, 7),
        "contract_amount": Decimal("9000"),
        "contract_parties": "双方",
    }
    moves.sign_lead(lead, actor=county.office, date=D(2026, 10, 7), contract=contract)
    figures = queries.totals(Lead.objects.all(), 2026)
    assert figures["signed_projects"] == 1 and figures["signed_amount"] == Decimal("9000")
    assert figures["leads"] == 1


def test_an_expansion_counts_only_the_added_investment(county):
    lead = make_lead(
        county,
        registered_on=D(2026, 10, 1),
        is_expansion=True,
        added_investment=Decimal("3000"),
        planned_investment=Decimal("10000"),
    )
    sign(county, lead, amount="10000")
    assert queries.totals(Lead.objects.all(), 2026)["signed_amount"] == Decimal("3000")


def _claimed_twice(county, shared_credit):
    first = make_lead(
        county,
        company_name="禾川精密机械有限公司",
        registered_on=D(2026, 10, 1),
        source_unit=county.departments[0],
    )
    second = make_lead(
        county,
        company_name="禾川精密机械有限责任公司",
        registered_on=D(2026, 10, 1),
        source_unit=county.departments[1],
    )
    sign(county, first)
    sign(county, second)
    services.settle_duplicate(
        DuplicateClaim.objects.get(), actor=county.office, owner=first, shared_credit=shared_credit
    )


@pytest.mark.parametrize(("shared", "second_unit_amount"), [(False, Decimal("0")), (True, Decimal("8000"))])
def test_a_settled_duplicate_counts_once_in_totals_and_for_its_unit_only_with_shared_credit(
    county, shared, second_unit_amount
):
    _claimed_twice(county, shared)
    assert queries.totals(Lead.objects.all(), 2026)["signed_amount"] == Decimal("8000")
    rows = {row.unit.pk: row for row in queries.progress_by_unit(county.region, 2026, today=TODAY)}
    assert rows[county.departments[0].pk].actual["signed_amount"] == Decimal("8000")
    assert rows[county.departments[1].pk].actual["signed_amount"] == second_unit_amount
    town = {
        row.unit.pk: row
        for row in queries.progress_by_unit(county.region, 2026, TargetBasis.LOCATION, today=TODAY)
    }
    assert town[county.towns[0].pk].actual["signed_projects"] == 1


def test_units_are_ranked_by_completion_of_the_signed_amount_target_with_lights(county):
    dept_a, dept_b = county.departments
    services.set_target(actor=county.office, unit=dept_a, year=2026, signed_amount=Decimal("80000"), leads=2)
    services.set_target(actor=county.office, unit=dept_b, year=2026, signed_amount=Decimal("10000"), leads=1)
    sign(county, make_lead(county, source_unit=dept_a, registered_on=D(2026, 10, 1)))
    sign(county, make_lead(county, source_unit=dept_b, registered_on=D(2026, 10, 1)))
    rows = queries.progress_by_unit(county.region, 2026, today=TODAY)
    assert [(r.unit, r.rank) for r in rows] == [(dept_b, 1), (dept_a, 2)]
    assert rows[0].rate == Decimal("80") and rows[0].lights["signed_amount"].colour == "red"
    assert rows[0].lights["leads"].colour == "blue" and rows[1].lights["funds_in_place"].colour == "grey"


def test_follow_up_light_turns_yellow_after_n_working_days_and_red_after_m(county, settings):
    settings.DUBAN_INVESTMENT = {"FOLLOW_UP_YELLOW_DAYS": 3, "FOLLOW_UP_RED_DAYS": 6}
    latest = calendar.previous_workday(TODAY)
    on_time = calendar.add_working_days(latest, -3)
    yellow = calendar.add_working_days(latest, -4)
    red = calendar.add_working_days(latest, -7)
    leads = {
        name: make_lead(county, registered_on=day)
        for name, day in (("on_time", on_time), ("yellow", yellow), ("red", red))
    }
    colours = dict(Lead.objects.annotate(c=queries.follow_light_case(TODAY)).values_list("pk", "c"))
    assert {name: colours[lead.pk] for name, lead in leads.items()} == {
        "on_time": "green",
        "yellow": "yellow",
        "red": "red",
    }
    for lead in leads.values():
        assert queries.follow_light(lead, TODAY).colour == colours[lead.pk]
    assert calendar.working_days_between(on_time, TODAY) == 3


def test_the_spring_push_lists_unsigned_leads_due_before_nian_qian_with_what_is_missing(county):
    deadline = calendar.before_spring_festival(2027)
    due = make_lead(county, registered_on=D(2026, 11, 2), expected_sign_on=deadline)
    moves.contact_lead(due, actor=county.office, date=D(2026, 11, 3))
    make_lead(county, registered_on=D(2026, 11, 2), expected_sign_on=deadline + datetime.timedelta(days=30))
    signed = make_lead(county, registered_on=D(2026, 10, 1), expected_sign_on=deadline)
    sign(county, signed)
    when, days_left, items = queries.spring_push(county.office, today=TODAY)
    assert when == deadline and days_left == calendar.working_days_between(TODAY, deadline)
    assert [item.lead for item in items] == [due]
    assert items[0].missing[0] == "尚需：考察、洽谈、签约"
    assert "缺统一社会信用代码" in items[0].missing


def test_units_with_no_lead_or_no_active_lead_are_listed_by_name(county, settings):
    settings.DUBAN_INVESTMENT = {"IDLE_UNIT_DAYS": 5}
    dept_a, dept_b = county.departments
    make_lead(county, source_unit=dept_a, registered_on=D(2026, 9, 1), location=county.towns[0])
    none, idle = queries.idle_units(county.region, 2026, today=TODAY)
    assert [u.unit for u in none] == [dept_b, county.towns[1]]
    assert {u.unit for u in idle} == {dept_a, county.towns[0]}


def test_the_pairing_matrix_counts_the_pairs_leads(county):
    from duban.investment.factories import make_pairing

    make_pairing(county, county.departments[0], county.towns[0])
    sign(county, make_lead(county, registered_on=D(2026, 10, 1)))
    make_lead(county, registered_on=D(2026, 10, 2))
    [row] = queries.pairing_matrix(county.office, 2026)
    assert (row.lead_count, row.signed_amount, row.last_activity) == (2, Decimal("8000"), D(2026, 10, 5))
