"""The campaigns module's rows for the URL walk (tests/test_url_walk.py).

Who may open what (docs/campaigns.md, policy rules `campaigns.*`): every business role of the
county reads campaigns, towns and rounds whose ranking is published (with their bulletins); the
office, the leaders and the round's inspectors read the sites, the scoring page and the
rectification orders (a town's unit too for its own; the fixture unit 商务局 is no town).
The administrators see none of it.
"""

from __future__ import annotations

import datetime

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.campaigns import services
from duban.campaigns.choices import RoundKind, SiteKind
from duban.campaigns.factories import SHEET_ITEMS
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_region, make_unit
from tests.url_access import ALL_ROLES, BUSINESS, FOREIGN, OWN, api, page, pk_of, post_only

ROUND_READERS = {Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER, Role.INSPECTOR}


def _round_site(world, variant: str, names=("round_pk", "site_pk")) -> dict:
    site = world.get("site", variant)
    return {names[0]: site.round_id, names[1]: site.pk}


def _api_round_site(world, variant: str) -> dict:
    return _round_site(world, variant, ("round_id", "site_id"))


def _rectification_move(world, variant: str) -> dict:
    return {"pk": world.get("rectification", variant).pk, "move": "answer"}


def _api_rectification_move(world, variant: str) -> dict:
    return {"rectification_id": world.get("rectification", variant).pk, "move": "answer"}


def _bulletin_file(world, variant: str) -> dict:
    return {"pk": world.get("round", variant).pk, "fmt": "xlsx"}


def _sanction_move(world, variant: str) -> dict:
    return {"pk": world.get("round", variant).pk, "move": "approve"}


def _api_sanction_move(world, variant: str) -> dict:
    return {"round_id": world.get("round", variant).pk, "move": "approve"}


ACCESS = {
    "campaigns:campaign_list": page(ALL_ROLES),
    "campaigns:campaign_detail": page(BUSINESS, pk_of("campaign")),
    "campaigns:round_detail": page(BUSINESS, pk_of("round")),
    "campaigns:town_detail": page(BUSINESS, pk_of("town")),
    "campaigns:bulletin": page(BUSINESS, pk_of("round")),
    "campaigns:bulletin_file": page(BUSINESS, _bulletin_file),
    "campaigns:score_site": page(ROUND_READERS, _round_site),
    "campaigns:submit_score": post_only(_round_site, anonymous="login"),
    "campaigns:issue_rectification": post_only(pk_of("deduction"), anonymous="login"),
    "campaigns:rectification": page(ROUND_READERS, pk_of("rectification")),
    "campaigns:rectification_move": post_only(_rectification_move, anonymous="login"),
    "campaigns:sanction_move": post_only(_sanction_move, anonymous="login"),
    "campaigns:sanction_adjust": post_only(pk_of("sanction"), anonymous="login"),
    "api:list_campaigns": api(ALL_ROLES),
    "api:get_campaign": api(BUSINESS, pk_of("campaign", "campaign_id")),
    # post_quantity shares its path with get_quantities, post_rectification with the list.
    "api:get_quantities": api(BUSINESS, pk_of("campaign", "campaign_id")),
    "api:post_quantity": api(BUSINESS, pk_of("campaign", "campaign_id")),
    "api:list_rounds": api(ALL_ROLES),
    "api:get_round": api(BUSINESS, pk_of("round", "round_id")),
    "api:list_scores": api(BUSINESS, pk_of("round", "round_id")),
    "api:post_score": post_only(_api_round_site),
    "api:post_submit": post_only(_api_round_site),
    "api:list_rectifications": api(ALL_ROLES),
    "api:post_rectification": api(ALL_ROLES),
    "api:get_rectification": api(ROUND_READERS, pk_of("rectification", "rectification_id")),
    "api:post_rectification_move": post_only(_api_rectification_move),
    "api:list_sanctions": api(ALL_ROLES),
    "api:post_sanctions": post_only(_api_sanction_move),
}


def build_objects(world) -> None:
    """In each county a campaign over one town, a round (ranking published) with a scored site,
    a rectification order from its deduction and a proposed reward/penalty list."""
    foreign_office = make_user_with_role(Role.SUPERVISION_OFFICE, region=world.foreign_county)
    foreign_inspector = make_user_with_role(Role.INSPECTOR, region=world.foreign_county)
    for variant, county, unit, office, inspector in (
        (OWN, world.county, world.unit, world.users[Role.SUPERVISION_OFFICE], world.users[Role.INSPECTOR]),
        (FOREIGN, world.foreign_county, world.foreign_unit, foreign_office, foreign_inspector),
    ):
        town_region = make_region(f"{county.name}整治镇", level=RegionLevel.TOWN, parent=county)
        make_region(f"{county.name}整治村", level=RegionLevel.VILLAGE, parent=town_region)
        town_unit = make_unit(f"{county.name}整治镇政府", region=town_region, kind=UnitKind.TOWN)
        campaign = services.create_campaign(
            actor=office,
            county=county,
            name="农村人居环境综合整治",
            kind="environment",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            lead_unit=unit,
        )
        town = services.add_town(campaign, actor=office, town=town_region, unit=town_unit)
        sheet = services.create_score_sheet(campaign, actor=office, name="评分标准", items=SHEET_ITEMS)
        round_ = services.create_round(
            campaign,
            actor=office,
            sheet=sheet,
            name="第一轮",
            kind=RoundKind.SCHEDULED,
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 5, 2),
            inspectors=[inspector],
            sites=[(v, SiteKind.VILLAGE, "") for v in campaign.villages.all()],
        )
        site = round_.sites.get()
        item = sheet.items.get(name="垃圾乱堆乱放")
        score = services.score_site(round_, site, actor=inspector, deductions=[{"item": item, "count": 2}])
        services.submit_score(score, actor=inspector)
        deduction = score.deductions.get()
        order = services.issue_rectification(deduction, actor=inspector, requirement="清理")
        services.add_sanction_rule(campaign, actor=office, trigger="top_places", kind="commend", text="表扬")
        sanction_list = services.propose_sanctions(round_, actor=office)
        services.publish_ranking(round_, actor=office)
        world.objects.update(
            {
                ("campaign", variant): campaign,
                ("town", variant): town,
                ("round", variant): round_,
                ("site", variant): site,
                ("deduction", variant): deduction,
                ("rectification", variant): order,
                ("sanction", variant): sanction_list.sanctions.get(),
            }
        )
