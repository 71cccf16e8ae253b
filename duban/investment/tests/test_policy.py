"""Who sees a lead, who reads its contacts, who changes it (rules in duban/accounts/policy/)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.investment import services
from duban.investment.factories import make_investment_county, make_lead, make_pairing
from duban.investment.models import DuplicateClaim, FollowUp, Lead

pytestmark = pytest.mark.django_db


def ids(user, action="view"):
    return set(Lead.objects.visible_to(user, action).values_list("pk", flat=True))


def test_confidential_scope_source_unit_location_paired_town_office_and_leaders(county):
    """The source unit, the town where it lands, the town paired with the source department, the office
    and the leader read the lead in confidence; another department sees only that it exists."""
    dept, other_dept = county.departments
    town, park = county.towns
    lead = make_lead(county, source_unit=dept, location=town, registered_on=datetime.date(2026, 3, 1))
    make_pairing(county, dept, park, year=2026)
    readers = [county.liaison(dept), county.liaison(town), county.liaison(park), county.office, county.leader]
    for user in readers:
        assert ids(user, policy.CONFIDENTIAL) == {lead.pk}, user
    stranger = county.liaison(other_dept)
    assert ids(stranger) == {lead.pk}
    assert ids(stranger, policy.CONFIDENTIAL) == set()
    assert ids(stranger, policy.CHANGE) == set()
    assert ids(county.leader, policy.CHANGE) == set()


def test_another_county_sees_nothing(county):
    make_lead(county)
    elsewhere = make_investment_county()
    assert ids(elsewhere.office) == set() and ids(elsewhere.liaison(elsewhere.departments[0])) == set()


@override_settings(DUBAN_INVESTMENT={"PUBLIC_FIELDS": None})
def test_a_deployment_may_hide_leads_from_other_units_entirely(county):
    make_lead(county)
    assert ids(county.liaison(county.departments[1])) == set()


def test_follow_ups_are_read_in_confidence_only(county):
    lead = make_lead(county)
    services.add_follow_up(lead, actor=county.office, date=lead.registered_on, kind="call", notes="谈价格")
    assert FollowUp.objects.visible_to(county.liaison(county.departments[0])).count() == 1
    assert FollowUp.objects.visible_to(county.liaison(county.departments[1])).count() == 0


def test_duplicate_claims_are_for_the_office_and_leaders(county):
    make_lead(county, company_name="甲乙丙科技有限公司", source_unit=county.departments[0])
    make_lead(county, company_name="甲乙丙科技有限责任公司", source_unit=county.departments[1])
    assert DuplicateClaim.objects.visible_to(county.office).count() == 1
    assert DuplicateClaim.objects.visible_to(county.leader).count() == 1
    assert DuplicateClaim.objects.visible_to(county.liaison(county.departments[0])).count() == 0
    inspector = make_user_with_role(Role.INSPECTOR, region=county.region)
    assert DuplicateClaim.objects.visible_to(inspector, policy.CHANGE).count() == 0
