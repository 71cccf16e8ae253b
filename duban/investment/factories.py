"""Test data for investment attraction: a small county, its office, pairings and leads (through the services)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.accounts.models import User
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit
from duban.org.models import Region, Unit

from . import services
from .choices import Industry, SourceType
from .identity import ALPHABET, check_character
from .models import Lead, Pairing

_seq = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code (GB 32100-2015), different for each n."""
    n = next(_seq) if n is None else n
    body = "91370100"
    digits = ""
    for _ in range(9):
        digits = ALPHABET[n % 31] + digits
        n //= 31
    first17 = body + digits
    return first17 + check_character(first17)


@dataclass
class County:
    region: Region
    office: User
    leader: User
    departments: list[Unit]
    towns: list[Unit]

    def liaison(self, unit: Unit) -> User:
        return make_user_with_role(Role.UNIT_LIAISON, unit=unit)


def make_investment_county(name: str | None = None, *, departments: int = 2, towns: int = 2) -> County:
    """A county with its office, a leader, `departments` departments and `towns` towns (the last a park)."""
    n = next(_seq)
    region = make_county(name or f"招商县{n}")
    office_unit = make_unit(f"督查室{n}", region=region, kind=UnitKind.LEADERSHIP)
    office = make_user_with_role(Role.SUPERVISION_OFFICE, unit=office_unit, region=region)
    leader = make_user_with_role(Role.COUNTY_LEADER, unit=office_unit, region=region)
    depts = [make_unit(f"部门{n}-{i}", region=region) for i in range(departments)]
    location_units = []
    for i in range(towns):
        kind = UnitKind.PARK if i == towns - 1 and towns > 1 else UnitKind.TOWN
        town_region = make_region(f"镇{n}-{i}", level=RegionLevel.TOWN, parent=region)
        location_units.append(make_unit(f"镇街园区{n}-{i}", region=town_region, kind=kind))
    return County(region, office, leader, depts, location_units)


def make_pairing(county: County, department: Unit, partner: Unit, *, year: int = 2026) -> Pairing:
    return services.create_pairing(actor=county.office, year=year, department=department, partner=partner)


def lead_values(**overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    values: dict[str, Any] = {
        "company_name": f"测试投资{n}号科技有限公司",
        "credit_code": "",
        "origin": "江苏省苏州市",
        "industry": Industry.MANUFACTURING,
        "contact_person": "王经理",
        "contact_phone": "13912345678",
        "project_name": f"年产{n}万件零部件项目",
        "content": "新建厂房及生产线",
        "planned_investment": Decimal("10000"),
        "external_investment": Decimal("5000"),
        "source_type": SourceType.PROFESSIONAL,
        "negotiation_notes": "对方要求土地价格优惠",
    }
    values.update(overrides)
    return values


def make_lead(
    county: County, *, source_unit: Unit | None = None, location: Unit | None = None, actor=None, **kw
) -> Lead:
    return services.create_lead(
        actor=actor or county.office,
        source_unit=source_unit or county.departments[0],
        intended_location=location or county.towns[0],
        **lead_values(**kw),
    )
