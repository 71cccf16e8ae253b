"""How each indicator of a look-back recovers, period by period (red > yellow > green).

For each period since the look-back's start: the county's place and whether it is still
lagging. The item's light: green when the latest period is no longer lagging; yellow when it
is still lagging but its place is better than at the start; red otherwise (or no new figure).
The drive's light is the worst of its items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.core.lights import SEVERITY

from .models import AnnualTarget, LookBackItem
from .periods import Period, periods_of_year
from .queries import rankings
from .ranking import is_lagging


@dataclass
class Track:
    item: LookBackItem
    points: list[tuple[Period, int | None, int, bool]] = field(
        default_factory=list
    )  # period, place, peers, lagging
    colour: str = "red"


def tracks(user, items: list[LookBackItem], latest_by_frequency: dict[str, Period]) -> list[Track]:
    """One ranking query over every period since the earliest start, one query for the targets."""
    if not items:
        return []
    wanted: set[int] = set()
    series: dict[int, list[Period]] = {}
    for item in items:
        ind = item.indicator
        end = latest_by_frequency[ind.frequency]
        periods = [
            p
            for year in range(item.start_period // 100, end.year + 1)
            for p in periods_of_year(year, ind.frequency)
            if item.start_period <= p.key <= end.key
        ]
        series[item.pk] = periods
        wanted |= {p.key for p in periods}
    ranked = rankings(user, {i.indicator_id for i in items}, wanted)
    places = {
        (t.indicator_id, t.year): t.target_place
        for t in AnnualTarget.objects.visible_to(user).filter(
            indicator_id__in={i.indicator_id for i in items}
        )
    }
    result = []
    for item in items:
        track = Track(item)
        for period in series[item.pk]:
            ranking = ranked.get((item.indicator_id, period.key))
            place = ranking.places.get(item.indicator.county_id) if ranking else None
            peers = ranking.peers if ranking else 0
            track.points.append(
                (period, place, peers, is_lagging(place, peers, places.get((item.indicator_id, period.year))))
            )
        track.colour = _colour(item, track.points)
        result.append(track)
    return result


def _colour(item: LookBackItem, points) -> str:
    latest = [p for p in points[1:] if p[1] is not None]
    if not latest:
        return "red"
    _period, place, _peers, lagging = latest[-1]
    if not lagging:
        return "green"
    if item.start_place and place < item.start_place:
        return "yellow"
    return "red"


def worst(colours: list[str]) -> str:
    return max(colours, key=lambda c: SEVERITY[c]) if colours else "grey"
