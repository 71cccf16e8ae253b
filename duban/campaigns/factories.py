"""Test data for campaigns. Plain functions over the services (so audited)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit

from . import services
from .choices import CampaignKind, RollUp, RoundKind, SiteKind
from .models import Campaign, InspectionRound, ScoreSheet

_seq = itertools.count(1)

SHEET_ITEMS: list[dict[str, Any]] = [
    {"category": "环境卫生", "name": "垃圾乱堆乱放", "max_points": "20", "per_occurrence": "1", "cap": "5"},
    {"category": "环境卫生", "name": "污水横流", "max_points": "30", "per_occurrence": "2", "cap": "10"},
    {"category": "村容村貌", "name": "残垣断壁未清理", "max_points": "50", "per_occurrence": "5"},
    {"category": "否决项", "name": "发生焚烧垃圾", "max_points": "0", "is_veto": True},
]


class County:
    """A county with `towns` towns of two villages each, a department and the people the tests act as."""

    def __init__(self, towns: int = 3, villages: int = 2):
        n = next(_seq)
        self.region = make_county(f"整治县{n}")
        self.dept = make_unit(f"农业农村局{n}", region=self.region)
        self.towns, self.town_units, self.villages = [], [], {}
        for t in range(towns):
            town = make_region(f"镇{n}-{t + 1}", level=RegionLevel.TOWN, parent=self.region)
            self.towns.append(town)
            self.town_units.append(make_unit(f"镇{n}-{t + 1}人民政府", region=town, kind=UnitKind.TOWN))
            self.villages[town.pk] = [
                make_region(f"村{n}-{t + 1}-{v + 1}", level=RegionLevel.VILLAGE, parent=town)
                for v in range(villages)
            ]
        self.office = make_user_with_role(Role.SUPERVISION_OFFICE, region=self.region, unit=self.dept)
        self.leader = make_user_with_role(Role.COUNTY_LEADER, region=self.region, unit=self.dept)
        self.inspector = make_user_with_role(Role.INSPECTOR, region=self.region, unit=self.dept)
        # A town cadre on a cross-check round: may not score his own town.
        self.town_inspector = make_user_with_role(Role.INSPECTOR, region=self.region, unit=self.town_units[0])
        self.town_liaison = make_user_with_role(Role.UNIT_LIAISON, unit=self.town_units[0])
        self.other_town_liaison = make_user_with_role(Role.UNIT_LIAISON, unit=self.town_units[1])


def make_campaign(county: County, *, roll_up: str = RollUp.AVERAGE, households=None, **overrides) -> Campaign:
    values: dict[str, Any] = {
        "name": f"农村人居环境综合整治{next(_seq)}",
        "kind": CampaignKind.ENVIRONMENT,
        "start_date": datetime.date(2026, 3, 1),
        "end_date": datetime.date(2026, 12, 31),
        "lead_unit": county.dept,
        "roll_up": roll_up,
    }
    values.update(overrides)
    campaign = services.create_campaign(actor=county.office, county=county.region, **values)
    for town, unit in zip(county.towns, county.town_units, strict=True):
        services.add_town(campaign, actor=county.office, town=town, unit=unit, households=households)
    return campaign


def make_sheet(campaign: Campaign, county: County, items=None) -> ScoreSheet:
    return services.create_score_sheet(
        campaign, actor=county.office, name="村庄清洁评分标准", items=items or SHEET_ITEMS
    )


def make_round(
    campaign: Campaign, county: County, sheet: ScoreSheet | None = None, **overrides
) -> InspectionRound:
    sheet = sheet or campaign.sheets.order_by("-version").first() or make_sheet(campaign, county)
    values: dict[str, Any] = {
        "name": f"第{next(_seq)}轮暗访",
        "kind": RoundKind.UNANNOUNCED,
        "start_date": datetime.date(2026, 5, 10),
        "end_date": datetime.date(2026, 5, 15),
        "inspectors": [county.inspector, county.town_inspector],
        "sites": [(v, SiteKind.VILLAGE, "") for v in campaign.villages.all()],
    }
    values.update(overrides)
    return services.create_round(campaign, actor=county.office, sheet=sheet, **values)


def score_and_submit(
    round_: InspectionRound, site, inspector, found: dict[str, int] | None = None, points=None
):
    """Score a site with {item name: count} (or {item name: Decimal points}) and submit it."""
    items = {i.name: i for i in round_.sheet.items.all()}
    deductions = [{"item": items[k], "count": v} for k, v in (found or {}).items()]
    deductions += [{"item": items[k], "points": Decimal(v)} for k, v in (points or {}).items()]
    score = services.score_site(round_, site, actor=inspector, deductions=deductions)
    return services.submit_score(score, actor=inspector)
