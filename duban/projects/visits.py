"""Reads of site visits: a project's visits, and stewards' days on site (one query each).

A steward's days on site are the distinct dates of visits to the project they steward that
they took part in, within their stewardship (start date to end date or today).
"""

from __future__ import annotations

from django.db.models import Count, DateField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import SiteVisit, SiteVisitor, Stewardship


def visits_for(user) -> QuerySet[SiteVisit]:
    return SiteVisit.objects.visible_to(user).select_related("project", "leader", "recorded_by")


def with_days_on_site(stewardships: QuerySet[Stewardship]) -> QuerySet[Stewardship]:
    """Annotate `days_on_site` (None for a steward unit) on each stewardship, in the same query."""
    today = timezone.localdate()
    days = (
        SiteVisitor.objects.filter(
            user=OuterRef("user"),
            visit__project=OuterRef("project"),
            visit__date__gte=OuterRef("start_date"),
        )
        .filter(Q(visit__date__lte=Coalesce(OuterRef("end_date"), Value(today), output_field=DateField())))
        .order_by()
        .values("user")
        .annotate(n=Count("visit__date", distinct=True))
        .values("n")
    )
    return stewardships.annotate(days_on_site=Coalesce(Subquery(days, output_field=IntegerField()), Value(0)))


def project_visits(user, project) -> list[SiteVisit]:
    """A project's visits with visitors and decisions (three queries whatever the count)."""
    return list(
        visits_for(user)
        .filter(project=project)
        .prefetch_related("visitors", "decisions")
        .order_by("-date", "-id")
    )
