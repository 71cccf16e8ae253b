"""The worked example of docs/campaigns.md, replayed through the services and the database ranking."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.campaigns import queries, services
from duban.campaigns.choices import RollUp, RoundKind, SiteKind
from duban.campaigns.factories import SHEET_ITEMS
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "campaigns.md"


def table(name: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(rf"<!-- worked-example:{name} -->\n(.*?)<!-- /worked-example -->", text, re.S)
    assert block, name
    lines = [line for line in block.group(1).splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def replay(roll_up: str):
    county = make_county("示例县")
    office = make_user_with_role(Role.SUPERVISION_OFFICE, region=county, unit=make_unit(region=county))
    inspector = make_user_with_role(Role.INSPECTOR, region=county, unit=make_unit(region=county))
    sites = table("sites")
    towns, villages = {}, {}
    for village, town, households, _found, _score in sites:
        if town not in towns:
            region = make_region(town, level=RegionLevel.TOWN, parent=county)
            towns[town] = (region, make_unit(f"{town}人民政府", region=region, kind=UnitKind.TOWN))
        villages[village] = (
            make_region(village, level=RegionLevel.VILLAGE, parent=towns[town][0]),
            int(households),
        )
    campaign = services.create_campaign(
        actor=office,
        county=county,
        name="示例",
        kind="environment",
        start_date=__import__("datetime").date(2026, 1, 1),
        end_date=__import__("datetime").date(2026, 12, 31),
        lead_unit=office.unit,
        roll_up=roll_up,
    )
    sizes = {region.pk: h for region, h in villages.values()}
    for region, unit in towns.values():
        services.add_town(campaign, actor=office, town=region, unit=unit, households=sizes)
    sheet = services.create_score_sheet(campaign, actor=office, name="评分标准", items=SHEET_ITEMS)
    round_ = services.create_round(
        campaign,
        actor=office,
        sheet=sheet,
        name="第一轮",
        kind=RoundKind.UNANNOUNCED,
        start_date=campaign.start_date,
        end_date=campaign.start_date,
        inspectors=[inspector],
        sites=[(v, SiteKind.VILLAGE, "") for v in campaign.villages.all()],
    )
    items = {i.name: i for i in sheet.items.all()}
    for village, _town, _h, found, expected in sites:
        site = round_.sites.get(village__village__name=village)
        deductions = []
        if found != "—":
            for part in found.split("；"):
                name, count = part.split("×")
                deductions.append({"item": items[name], "count": int(count)})
        score = services.score_site(round_, site, actor=inspector, deductions=deductions)
        services.submit_score(score, actor=inspector)
        assert score.total == Decimal(expected), village
    return round_


@pytest.mark.parametrize(("roll_up", "name"), [(RollUp.AVERAGE, "average"), (RollUp.WEIGHTED, "weighted")])
def test_the_documented_example_ranks_as_documented(roll_up, name):
    """Given the documented sites and findings, the round's ranking is the documented table."""
    round_ = replay(roll_up)
    got = [[str(r.rank), r.town.town.name, f"{r.score:.2f}"] for r in queries.round_ranking(round_)]
    assert sorted(got) == sorted(table(name))
    assert [r.rank for r in queries.round_ranking(round_)] == sorted(int(row[0]) for row in table(name))
