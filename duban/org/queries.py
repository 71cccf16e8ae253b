"""Composed reads of the organisation tree: what the pages, the API and exports select.

Every function starts from `visible_to(user)` (or an object the policy already let through)
and does its joins here, so templates never trigger queries row by row.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from duban.accounts import policy
from duban.accounts.choices import Role

from .choices import RegionLevel
from .models import Region, Unit


def units_for(user) -> QuerySet[Unit]:
    """The units `user` may see, with what a list shows (region, leader, head count)."""
    return (
        Unit.objects.visible_to(user)
        .select_related("region", "leader_in_charge")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    )


def regions_for(user) -> QuerySet[Region]:
    """The regions `user` may see, with their parent and how many children and units they hold."""
    return (
        Region.objects.visible_to(user)
        .select_related("parent")
        .annotate(child_count=Count("children", distinct=True), unit_count=Count("units", distinct=True))
    )


def unit_members(unit: Unit) -> QuerySet:
    """The active people of a unit the caller may already see (names and titles are public within
    the county directory; phone numbers are masked by the template)."""
    return unit.members.filter(is_active=True).order_by("username")


def unit_choice_regions(user) -> QuerySet[Region]:
    """Regions a unit may be placed in by `user`: county and town levels within their change scope."""
    return policy.scope_queryset(Region.objects.all(), user, policy.CHANGE).filter(
        level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN]
    )


def directory_regions(user) -> QuerySet[Region]:
    """Regions offered by the directory's region filter: counties and towns, never villages."""
    return Region.objects.visible_to(user).filter(
        level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN]
    )


def leader_choices(user):
    """County leaders whose grant lies within the caller's change scope (for 分管领导)."""
    from duban.accounts.models import User

    paths = policy.grants_of(user).paths({Role.SYSTEM_ADMIN})
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(grants__region__path__startswith=path)
    return (
        User.objects.filter(
            q, is_active=True, grants__role=Role.COUNTY_LEADER, grants__revoked_at__isnull=True
        )
        .distinct()
        .order_by("username")
    )
