"""The investment module's rows for the URL walk (tests/test_url_walk.py).

Who may open what (docs/investment.md, policy rules `investment.*`): every business role of the
county sees that a lead exists (its public fields); the source unit (head, liaison), the office
and the county leaders read it in confidence (contacts, follow-ups); the source unit and the
office change it. The county pages (pipeline, pairings, targets) are for the county's business
roles; the duplicate-claim queue for the office and the leaders; targets are set by the office.
The three administrators see no lead. The "own" lead is brought by the fixture unit 商务局.
"""

from __future__ import annotations

from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.investment import services
from duban.investment.choices import FollowUpKind, TargetBasis
from duban.investment.factories import credit_code, lead_values
from duban.investment.models import DuplicateClaim
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_region, make_unit
from tests.url_access import ALL_ROLES, BUSINESS, FOREIGN, OWN, api, page, pk_of, post_only

OFFICE = {Role.SUPERVISION_OFFICE}
READERS = {Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}
IN_CONFIDENCE = READERS | {Role.UNIT_HEAD, Role.UNIT_LIAISON}
CHANGERS = {Role.SUPERVISION_OFFICE, Role.UNIT_HEAD, Role.UNIT_LIAISON}


def lead_move(world, variant: str) -> dict:
    return {"pk": world.get("lead", variant).pk, "action": "contact"}


def api_lead_move(world, variant: str) -> dict:
    return {"lead_id": world.get("lead", variant).pk, "action": "contact"}


def target(world, variant: str) -> dict:
    return {"unit_pk": world.get("unit", variant).pk, "basis": TargetBasis.SOURCE}


ACCESS = {
    # The ledger renders (empty) for anyone signed in; the county pages need a county to show.
    "investment:lead_list": page(ALL_ROLES),
    "investment:pipeline": page(BUSINESS),
    "investment:pairing_matrix": page(BUSINESS),
    "investment:targets": page(BUSINESS),
    # Registering: the office for any unit, a unit for itself (leaders and inspectors get 403).
    "investment:lead_create": page(CHANGERS),
    "investment:lead_detail": page(BUSINESS, pk_of("lead")),
    "investment:lead_edit": page(CHANGERS, pk_of("lead")),
    "investment:lead_move": post_only(lead_move, anonymous="login"),
    "investment:follow_up_add": post_only(pk_of("lead"), anonymous="login"),
    "investment:reveal_phone": post_only(pk_of("lead"), anonymous="login"),
    "investment:pairing_create": post_only(anonymous="login"),
    "investment:target_edit": page(OFFICE, target),
    "investment:duplicates": page(READERS),
    "investment:duplicate_settle": post_only(pk_of("duplicate_claim"), anonymous="login"),
    # API: create_lead shares its path with list_leads, update_lead (PATCH) with get_lead and
    # add_follow_up with list_follow_ups, so a GET there is the list or the detail.
    "api:list_pairings": api(ALL_ROLES),
    "api:list_leads": api(ALL_ROLES),
    "api:create_lead": api(ALL_ROLES),
    "api:get_lead": api(BUSINESS, pk_of("lead", "lead_id")),
    "api:update_lead": api(BUSINESS, pk_of("lead", "lead_id")),
    "api:list_follow_ups": api(IN_CONFIDENCE, pk_of("lead", "lead_id")),
    "api:add_follow_up": api(IN_CONFIDENCE, pk_of("lead", "lead_id")),
    "api:move_lead": post_only(api_lead_move),
    "api:list_targets": api(BUSINESS),
}


def build_objects(world) -> None:
    """In each county a town, the county's 商务局 paired with it, a lead 商务局 brings there (with a
    follow-up), and the same investor registered again by the town: a duplicate claim."""
    office = world.users[Role.SUPERVISION_OFFICE]
    foreign_office = make_user_with_role(Role.SUPERVISION_OFFICE, region=world.foreign_county)
    today = timezone.localdate()
    for variant, county, unit, office_user in (
        (OWN, world.county, world.unit, office),
        (FOREIGN, world.foreign_county, world.foreign_unit, foreign_office),
    ):
        town_region = make_region(f"{county.name}城关镇", level=RegionLevel.TOWN, parent=county)
        town = make_unit(f"{county.name}城关镇", region=town_region, kind=UnitKind.TOWN)
        services.create_pairing(actor=office_user, year=today.year, department=unit, partner=town)
        code = credit_code()
        lead = services.create_lead(
            actor=office_user, source_unit=unit, intended_location=town, **lead_values(credit_code=code)
        )
        services.add_follow_up(
            lead, actor=office_user, date=today, kind=FollowUpKind.CALL, notes="电话沟通用地需求"
        )
        twin = services.create_lead(
            actor=office_user, source_unit=town, intended_location=town, **lead_values(credit_code=code)
        )
        world.objects.update(
            {
                ("lead", variant): lead,
                ("duplicate_claim", variant): DuplicateClaim.objects.get(second=twin),
            }
        )
