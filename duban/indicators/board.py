"""The indicator board: one row per indicator with target, actual, completion, rank and score.

A constant number of queries whatever the number of indicators, counties and periods: the
indicators, the latest official period of each, the targets, the plans and one ranking query
over the periods needed (current, previous, same period last year).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import AnnualTarget, Indicator, IndicatorValue, PeriodPlan
from .periods import Period, latest_closed
from .progress import Progress, progress_of
from .queries import PeriodRanking, rankings
from .ranking import Leverage, is_lagging, leverage, score


@dataclass
class BoardRow:
    indicator: Indicator
    period: Period
    progress: Progress
    place: int | None
    peers: int
    change_prev: int | None  # places gained since the previous period (positive = up)
    change_year: int | None
    score: Decimal
    lagging: bool
    target_place: int | None
    ranking: PeriodRanking | None = None  # every peer's value this period (for the simulator)

    @property
    def arrow(self) -> str:
        if self.change_prev is None or self.change_prev == 0:
            return "→" if self.change_prev == 0 else ""
        return "↑" if self.change_prev > 0 else "↓"


def _place(ranking: PeriodRanking | None, county_id: int) -> int | None:
    return ranking.places.get(county_id) if ranking else None


def board_rows(user, indicators: QuerySet[Indicator], today: datetime.date | None = None) -> list[BoardRow]:
    today = today or timezone.localdate()
    indicator_list = list(indicators.select_related("owner_unit", "leader_in_charge", "county"))
    ids = [i.pk for i in indicator_list]
    latest = dict(
        IndicatorValue.objects.visible_to(user)
        .filter(indicator_id__in=ids, is_official=True, county_id__in={i.county_id for i in indicator_list})
        .values("indicator_id")
        .annotate(last=Max("period"))
        .values_list("indicator_id", "last")
        .order_by()
    )
    periods = {
        i.pk: (
            Period.from_key(latest[i.pk], i.frequency)
            if i.pk in latest
            else latest_closed(i.frequency, today)
        )
        for i in indicator_list
    }
    wanted = {k for p in periods.values() for k in (p.key, p.previous_any().key, p.last_year().key)}
    ranked = rankings(user, ids, wanted)
    targets = {
        (t.indicator_id, t.year): t
        for t in AnnualTarget.objects.visible_to(user).filter(
            indicator_id__in=ids, year__in={p.year for p in periods.values()}
        )
    }
    plans = {
        (p.indicator_id, p.period): p.value
        for p in PeriodPlan.objects.visible_to(user).filter(
            indicator_id__in=ids, period__in={p.key for p in periods.values()}
        )
    }
    rows = []
    for ind in indicator_list:
        period = periods[ind.pk]
        now = ranked.get((ind.pk, period.key))
        target = targets.get((ind.pk, period.year))
        actual = now.values.get(ind.county_id) if now else None
        place = _place(now, ind.county_id)
        before = _place(ranked.get((ind.pk, period.previous_any().key)), ind.county_id)
        year_ago = _place(ranked.get((ind.pk, period.last_year().key)), ind.county_id)
        target_place = target.target_place if target else None
        rows.append(
            BoardRow(
                indicator=ind,
                period=period,
                progress=progress_of(
                    ind, period, actual, target.value if target else None, plans.get((ind.pk, period.key))
                ),
                place=place,
                peers=now.peers if now else 0,
                change_prev=(before - place) if place and before else None,
                change_year=(year_ago - place) if place and year_ago else None,
                score=score(place, ind.weight, ind.group),
                lagging=is_lagging(place, now.peers if now else 0, target_place),
                target_place=target_place,
                ranking=now,
            )
        )
    return rows


def leverage_rows(rows: list[BoardRow], limit: int = 8) -> list[tuple[BoardRow, Leverage]]:
    """The indicators whose next place up is worth most score per unit of effort (ranking.leverage)."""
    result = []
    for row in rows:
        ranking, own = row.ranking, row.progress.actual
        if ranking is None or own is None or row.place is None or row.place == 1:
            continue
        others = [v for c, v in ranking.values.items() if c != row.indicator.county_id]
        lev = leverage(
            row.indicator.pk,
            own,
            others,
            row.indicator.lower_is_better,
            row.indicator.weight,
            row.indicator.group,
        )
        if lev.per_effort is not None and lev.score_gain > 0:
            result.append((row, lev))
    result.sort(key=lambda pair: (-pair[1].per_effort, pair[0].indicator.sort_order))  # type: ignore[operator]
    return result[:limit]
