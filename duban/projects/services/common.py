"""Checks shared by the project services: scope, county membership, who acts for the office."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.org.choices import RegionLevel
from duban.org.models import Region, Unit


def county_of(region: Region) -> Region:
    """The county (区/县) a region lies in: itself, or the ancestor at county level."""
    if region.level == RegionLevel.COUNTY:
        return region
    prefixes = [region.path[: i + 1] for i, ch in enumerate(region.path) if ch == "/" and i > 0]
    county = Region.objects.filter(path__in=prefixes, level=RegionLevel.COUNTY).first()
    if county is None:
        raise ValidationError({"lead_unit": [_("牵头单位不在任何县(区)内")]})
    return county


def require_unit_in_county(unit: Unit | None, county: Region, field: str) -> None:
    if unit is not None and not unit.region.path.startswith(county.path):
        raise ValidationError({field: [_("“%(unit)s”不是本县(区)的单位") % {"unit": unit}]})


def is_office_for(user, county: Region) -> bool:
    return any(county.path.startswith(p) for p in policy.grants_of(user).paths({Role.SUPERVISION_OFFICE}))


def require_office(user, county: Region) -> None:
    if not is_office_for(user, county):
        raise PermissionDenied(_("只有督查室可以执行此操作"))


def require_change(user, obj) -> None:
    if user is not None:
        policy.require(user, policy.CHANGE, obj)


def required_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value
