"""Peer ranking, scores, lagging and the rank simulator: the rules, on plain values.

The database computes ranks for the pages (queries.ranked_values, RANK() window); these
functions state the same rule on a dict of values, for the simulator and the property tests
that check both agree. Definitions and a worked example: docs/indicators.md, "Ranking".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from .conf import conf, score_rule

K = TypeVar("K")
CENT = Decimal("0.01")


def better(a: Decimal, b: Decimal, lower_is_better: bool) -> bool:
    """a is strictly better than b."""
    return a < b if lower_is_better else a > b


def rank_of(value: Decimal, others: list[Decimal], lower_is_better: bool) -> int:
    """1 + how many others are strictly better: ties share a place (RANK(), not DENSE_RANK())."""
    return 1 + sum(1 for o in others if better(o, value, lower_is_better))


def ranks(values: Mapping[K, Decimal], lower_is_better: bool) -> dict[K, int]:
    """Each peer's place; peers without a value are not ranked (and do not count)."""
    all_values = list(values.values())
    return {k: 1 + sum(1 for o in all_values if better(o, v, lower_is_better)) for k, v in values.items()}


def score(rank: int | None, weight: Decimal, group: str) -> Decimal:
    """First place gets the full weight; each place lower `step` of it less, never below `floor` of it."""
    if rank is None:
        return Decimal(0)
    rule = score_rule(group)
    share = max(rule["floor"], Decimal(1) - rule["step"] * (rank - 1))
    return (weight * share).quantize(CENT, rounding=ROUND_HALF_UP)


def bottom_third_from(peers: int) -> int:
    """The first place of the bottom group: 11 peers, a third -> places 9, 10, 11 (3 places)."""
    size = int(Decimal(peers) * Decimal(conf()["lagging_share"]))
    return peers - size + 1 if size else peers + 1


def is_lagging(rank: int | None, peers: int, target_place: int | None) -> bool:
    if rank is None:
        return False
    rule = conf()["lagging_rule"]
    bottom = rank >= bottom_third_from(peers)
    below_target = target_place is not None and rank > target_place
    if rule == "bottom_third":
        return bottom
    if rule == "target_place":
        return below_target
    return bottom or below_target


# --- the rank simulator -------------------------------------------------------------------


def value_for_place(others: list[Decimal], place: int, lower_is_better: bool) -> Decimal | None:
    """The least good value that reaches `place` (or better) with the others unchanged.

    Our place is 1 + the number of others strictly better, so place <= P exactly when at most
    P-1 others are strictly better, i.e. when we at least equal the P-th best other (a tie
    shares its place). None when any value reaches it (fewer than P others).
    """
    ordered = sorted(others, reverse=not lower_is_better)
    if place < 1:
        raise ValueError("place must be at least 1")
    return ordered[place - 1] if len(ordered) >= place else None


@dataclass(frozen=True)
class Simulation:
    rank: int
    peers: int
    gap_up: Decimal | None  # how much better the value must get to gain a place (None at the top)
    up_value: Decimal | None  # the value that gains it
    gap_target: Decimal | None  # to reach the target place (0 when already there; None without a target)
    target_value: Decimal | None
    cushion: Decimal | None  # how much worse it may get without losing its place (None at the bottom)


def _gap(needed: Decimal | None, ours: Decimal, lower_is_better: bool) -> Decimal:
    if needed is None:
        return Decimal(0)
    gap = ours - needed if lower_is_better else needed - ours
    return max(gap, Decimal(0))


def simulate(
    ours: Decimal, others: list[Decimal], lower_is_better: bool, target_place: int | None
) -> Simulation:
    rank = rank_of(ours, others, lower_is_better)
    up_value = value_for_place(others, rank - 1, lower_is_better) if rank > 1 else None
    gap_up = _gap(up_value, ours, lower_is_better) if rank > 1 else None
    if target_place:
        target_value = value_for_place(others, target_place, lower_is_better) if rank > target_place else None
        gap_target = _gap(target_value, ours, lower_is_better)
    else:
        target_value, gap_target = None, None
    worse_or_equal = [o for o in others if not better(o, ours, lower_is_better)]
    if any(o == ours for o in worse_or_equal):
        cushion: Decimal | None = Decimal(0)  # a tied peer passes us at the first step back
    else:
        below = [o for o in worse_or_equal]
        nearest = min(below) if below and lower_is_better else (max(below) if below else None)
        cushion = None if nearest is None else abs(ours - nearest)
    return Simulation(rank, len(others) + 1, gap_up, up_value, gap_target, target_value, cushion)


@dataclass(frozen=True)
class Leverage:
    """Score gained by one place up, per unit of effort (the gap as a share of the peers' spread)."""

    key: object
    up_value: Decimal | None  # the value that gains the place
    score_gain: Decimal
    effort: Decimal | None  # gap / (best - worst peer value); None when no place can be gained
    per_effort: Decimal | None


def leverage(
    key, ours: Decimal, others: list[Decimal], lower_is_better: bool, weight: Decimal, group: str
) -> Leverage:
    """How much one place up is worth for the total score, per unit of effort.

    effort = the gap to the next place up / the spread of all peers' values (max - min), so
    a figure in 亿元 and a rate in % compare on one scale: 0.1 means closing a tenth of the
    field's spread. per_effort = score gain / effort (a zero gap, a tie to break by any amount,
    counts as the smallest effort 0.001 rather than dividing by zero).
    """
    sim = simulate(ours, others, lower_is_better, None)
    if sim.gap_up is None:
        return Leverage(key, None, Decimal(0), None, None)
    gain = score(sim.rank - 1, weight, group) - score(sim.rank, weight, group)
    values = [ours, *others]
    spread = max(values) - min(values)
    effort = (sim.gap_up / spread) if spread else Decimal(0)
    effort = max(effort, Decimal("0.001"))
    return Leverage(
        key, sim.up_value, gain, effort.quantize(Decimal("0.0001")), (gain / effort).quantize(CENT)
    )
