"""The unit timeliness ranking (督办事项办理时效排名): office and county leaders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.org.choices import UnitKind
from duban.org.models import Region, Unit

from .evaluation import unit_figures

KINDS = [(UnitKind.DEPARTMENT, UnitKind.DEPARTMENT.label), (UnitKind.TOWN, UnitKind.TOWN.label)]
KINDS += [(UnitKind.PARK, UnitKind.PARK.label)]


def _county_of_reader(user) -> Region:
    paths = sorted(policy.grants_of(user).paths({Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}))
    region = Region.objects.visible_to(user).filter(path__in=paths[:1]).first() if paths else None
    if region is None:
        raise Http404
    return region


@login_required
def ranking(request):
    """Per-unit figures and rank for a year, departments and towns ranked apart."""
    county = _county_of_reader(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    kind = request.GET.get("kind") or UnitKind.DEPARTMENT
    if kind not in dict(KINDS):
        kind = UnitKind.DEPARTMENT
    units = Unit.objects.visible_to(request.user).in_region(county).filter(kind=kind)
    context = {
        "rows": unit_figures(units, today=today, year=year),
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "kind": kind,
        "kinds": KINDS,
        "county": county,
    }
    return render(request, "tasks/ranking.html", context)
