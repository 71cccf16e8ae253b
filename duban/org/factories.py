"""Test data for the organisation tree. Plain functions over the services (so audited)."""

from __future__ import annotations

import itertools

from .choices import RegionLevel, UnitKind
from .models import Region, Unit
from .services import create_region, create_unit

_seq = itertools.count(1)


def make_region(
    name: str | None = None,
    *,
    level: str = RegionLevel.COUNTY,
    parent: Region | None = None,
    code: str | None = None,
) -> Region:
    n = next(_seq)
    return create_region(
        actor=None,
        name=name or f"测试区划{n}",
        code=code or f"R{n:06d}",
        level=level,
        parent=parent,
        check_access=False,
    )


def make_county(name: str = "测试县") -> Region:
    city = Region.objects.filter(level=RegionLevel.CITY).first() or make_region(
        "测试市", level=RegionLevel.CITY
    )
    return make_region(name, level=RegionLevel.COUNTY, parent=city)


def make_unit(
    name: str | None = None,
    *,
    region: Region | None = None,
    kind: str = UnitKind.DEPARTMENT,
    code: str | None = None,
) -> Unit:
    n = next(_seq)
    region = region or make_county(f"测试县{n}")
    return create_unit(
        actor=None,
        name=name or f"测试单位{n}",
        code=code or f"U{n:06d}",
        kind=kind,
        region=region,
        check_access=False,
    )
