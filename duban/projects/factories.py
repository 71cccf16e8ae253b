"""Test data for key projects. Plain functions over the services (so audited)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit

from . import services
from .choices import Category, Level
from .models import Project

_seq = itertools.count(1)


class County:
    """A county with a town, a department and the people the tests act as."""

    def __init__(self, name: str | None = None):
        n = next(_seq)
        self.region = make_county(name or f"项目县{n}")
        self.town_region = make_region(f"城关镇{n}", level=RegionLevel.TOWN, parent=self.region)
        self.village = make_region(f"东村{n}", level=RegionLevel.VILLAGE, parent=self.town_region)
        self.town = make_unit(f"城关镇人民政府{n}", region=self.town_region, kind=UnitKind.TOWN)
        self.dept = make_unit(f"发展和改革局{n}", region=self.region)
        self.other_dept = make_unit(f"自然资源局{n}", region=self.region)
        self.office = make_user_with_role(Role.SUPERVISION_OFFICE, region=self.region, unit=self.dept)
        self.leader = make_user_with_role(Role.COUNTY_LEADER, region=self.region, unit=self.dept)
        self.inspector = make_user_with_role(Role.INSPECTOR, region=self.region, unit=self.dept)
        self.lead_liaison = make_user_with_role(Role.UNIT_LIAISON, unit=self.dept)
        self.lead_head = make_user_with_role(Role.UNIT_HEAD, unit=self.dept)
        self.other_liaison = make_user_with_role(Role.UNIT_LIAISON, unit=self.other_dept)
        self.other_head = make_user_with_role(Role.UNIT_HEAD, unit=self.other_dept)


def project_values(county: County, **overrides) -> dict:
    year = overrides.pop("year", 2026)
    values = {
        "name": f"测试项目{next(_seq)}",
        "category": Category.INDUSTRIAL,
        "level": Level.CITY_SHOWCASE,
        "location_unit": county.town,
        "lead_unit": county.dept,
        "leader_in_charge": county.leader,
        "investor": "某某实业有限公司",
        "total_investment": Decimal("50000.00"),
        "plan_year": year,
        "year_plan_investment": Decimal("12000.00"),
        "planned_start": datetime.date(year, 1, 1),
        "planned_completion": datetime.date(year, 12, 31),
    }
    values.update(overrides)
    return values


def make_project(county: County, *, actor=None, confirmed: bool = False, **overrides) -> Project:
    project = services.create_project(actor=actor or county.office, **project_values(county, **overrides))
    if confirmed:
        services.confirm_project(project, actor=county.office)
        project.refresh_from_db()
    return project


CRITERIA = [
    ("投资完成", "10", "年度计划投资完成80%以上"),
    ("形象进度", "30", "主体封顶、外立面完成"),
    ("投产达效", "30", "设备安装完毕并试生产"),
    ("带动就业", "15", "新增就业100人以上"),
    ("税收贡献", "15", "已产生税收"),
]


def make_showcase(county: County, *, date: datetime.date | None = None, criteria=CRITERIA):
    showcase = services.create_showcase(
        actor=county.office,
        county=county.region,
        name="全市重点项目观摩",
        date=date or datetime.date(2026, 12, 11),
    )
    for name, weight, requirement in criteria:
        services.add_criterion(
            showcase, actor=county.office, name=name, weight=Decimal(weight), requirement=requirement
        )
    return showcase
