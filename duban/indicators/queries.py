"""Composed reads: peers, ranks computed by the database, and the board's rows.

Ranks come from one RANK() window over the official figures of the peers (the city's
counties), partitioned by indicator and period and ordered by the value in the indicator's
direction, so ties share a place. Every function starts from `visible_to(user)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, QuerySet, Value, When, Window
from django.db.models.functions import Rank

from duban.org.choices import RegionLevel
from duban.org.models import Region

from .choices import Direction
from .models import IndicatorValue


def peers_of(county: Region) -> QuerySet[Region]:
    """The city's counties, the county itself included."""
    return Region.objects.filter(level=RegionLevel.COUNTY, parent_id=county.parent_id).order_by(
        "sort_order", "code"
    )


def ranked_values(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue]:
    """Official peer figures with `place` (RANK) and `peers` (how many were ranked) per indicator and period.

    `values` is already restricted by the caller (visible_to and the indicators/periods wanted);
    filters apply before the window, so restrict to whole (indicator, period) partitions.
    """
    signed = Case(
        When(indicator__direction=Direction.LOWER, then=F("value")),
        default=F("value") * Value(Decimal(-1)),
    )
    partition = [F("indicator_id"), F("period")]
    return (
        values.filter(
            is_official=True,
            county__level=RegionLevel.COUNTY,
            county__parent_id=F("indicator__county__parent_id"),
        )
        .annotate(
            place=Window(Rank(), partition_by=partition, order_by=signed.asc()),
            peers=Window(Count("id"), partition_by=partition),
        )
        .order_by("indicator_id", "period", "place", "county__sort_order", "county__code")
    )


@dataclass
class PeriodRanking:
    """One indicator and period: every ranked peer's value and place."""

    period: int
    values: dict[int, Decimal] = field(default_factory=dict)  # county id -> value
    places: dict[int, int] = field(default_factory=dict)
    peers: int = 0


def rankings(
    user, indicator_ids: Iterable[int], periods: Iterable[int]
) -> dict[tuple[int, int], PeriodRanking]:
    """{(indicator id, period): PeriodRanking} for the periods asked, in one query."""
    qs = ranked_values(
        IndicatorValue.objects.visible_to(user).filter(
            indicator_id__in=list(indicator_ids), period__in=list(periods)
        )
    ).values_list("indicator_id", "period", "county_id", "value", "place", "peers")  # type: ignore[misc]
    result: dict[tuple[int, int], PeriodRanking] = {}
    for indicator_id, period, county_id, value, place, peers in qs:
        ranking = result.setdefault((indicator_id, period), PeriodRanking(period))
        ranking.values[county_id] = value
        ranking.places[county_id] = place
        ranking.peers = peers
    return result
