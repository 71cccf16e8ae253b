"""Test data for indicators: plain functions over the services (so audited)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.factories import make_county, make_unit
from duban.org.models import Region, Unit

from .choices import DataSource, Direction, Frequency, IndicatorGroup, IndicatorKind, ValueSource, ValueStatus
from .models import Indicator, IndicatorValue
from .services import create_indicator

_seq = itertools.count(1)


def make_indicator(county: Region | None = None, owner_unit: Unit | None = None, **fields) -> Indicator:
    n = next(_seq)
    county = county or (owner_unit.region if owner_unit else make_county(f"指标县{n}"))
    owner_unit = owner_unit or make_unit(f"责任单位{n}", region=county)
    defaults = {
        "code": f"IND{n:05d}",
        "name": f"测试指标{n}",
        "group": IndicatorGroup.GROWTH,
        "unit_of_measure": "亿元",
        "kind": IndicatorKind.ABSOLUTE,
        "direction": Direction.HIGHER,
        "frequency": Frequency.MONTHLY,
        "cumulative": False,
        "data_source": DataSource.STATISTICS,
    }
    return create_indicator(
        actor=None, county=county, owner_unit=owner_unit, check_access=False, **{**defaults, **fields}
    )


def make_official_value(indicator: Indicator, county: Region, period: int, value, **fields) -> IndicatorValue:
    """An official figure written directly (for ranking tests that do not exercise the workflow)."""
    return IndicatorValue.objects.create(
        indicator=indicator,
        county=county,
        period=period,
        value=value,
        status=ValueStatus.VERIFIED,
        source=ValueSource.BULLETIN,
        is_official=True,
        **fields,
    )


@dataclass
class ReportingSetup:
    county: Region
    unit: Unit
    liaison: object
    head: object
    stats_unit: Unit
    stats: object
    office: object
    indicator: Indicator


def reporting_setup(**indicator_fields) -> ReportingSetup:
    """A county with an owning unit (liaison, head), a statistics bureau, the office and an indicator."""
    n = next(_seq)
    county = make_county(f"报送县{n}")
    unit = make_unit(f"发展和改革局{n}", region=county)
    stats_unit = make_unit("统计局", region=county)
    office_unit = make_unit(f"督查室{n}", region=county)
    return ReportingSetup(
        county=county,
        unit=unit,
        liaison=make_user_with_role(Role.UNIT_LIAISON, unit=unit),
        head=make_user_with_role(Role.UNIT_HEAD, unit=unit),
        stats_unit=stats_unit,
        stats=make_user_with_role(Role.UNIT_LIAISON, unit=stats_unit),
        office=make_user_with_role(Role.SUPERVISION_OFFICE, unit=office_unit, region=county),
        indicator=make_indicator(county, unit, **indicator_fields),
    )
