"""Who plays which part for indicators, read from the grants (decisions stay in the policy)."""

from __future__ import annotations

from django.db.models import Q

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.org.models import Region, Unit

from .conf import conf

UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_LIAISON)


def covers(user, roles, region: Region) -> bool:
    """A region-scoped grant of one of `roles` over `region`."""
    return any(region.path.startswith(p) for p in policy.grants_of(user).paths(roles))


def is_office_over(user, county: Region) -> bool:
    return covers(user, {Role.SUPERVISION_OFFICE}, county)


def statistics_units_q() -> Q:
    q = Q(pk__in=[])
    for name in conf()["statistics_unit_names"]:
        q |= Q(name__endswith=name) | Q(short_name=name)
    return q


def statistics_unit_ids(user) -> set[int]:
    """Units the user belongs to (head or liaison) that act as the statistics bureau."""
    ids = policy.grants_of(user).units(UNIT_ROLES)
    if not ids:
        return set()
    cache = getattr(user, "_duban_stats_units", None)
    if cache is None:
        cache = set(Unit.objects.filter(statistics_units_q(), pk__in=ids).values_list("pk", flat=True))
        user._duban_stats_units = cache
    return cache


def is_statistics_over(user, county: Region) -> bool:
    return any(path.startswith(county.path) for path in statistics_region_paths(user))


def in_unit(user, unit_id: int, roles=UNIT_ROLES) -> bool:
    return unit_id in policy.grants_of(user).units(roles)


def statistics_region_paths(user) -> set[str]:
    """Region paths of the statistics-bureau units the user works in (for the policy)."""
    ids = statistics_unit_ids(user)
    if not ids:
        return set()
    cache = getattr(user, "_duban_stats_paths", None)
    if cache is None:
        cache = set(Unit.objects.filter(pk__in=ids).values_list("region__path", flat=True))
        user._duban_stats_paths = cache
    return cache
