"""The scoring and roll-up rules, as pure functions (proven by property tests; docs/campaigns.md).

- An item's deduction is `count × per_occurrence`, limited by the item's cap (or, without a cap,
  its maximum). An inspector may instead enter the points directly (a judgement item), never
  more than the item's maximum.
- A site scores the sheet's full marks (the sum of the non-veto items' maxima) less its
  deductions, never below zero; any veto item found (count > 0) zeroes it.
- A town scores the average of its sites' final scores, or the average weighted by the
  villages' households; scores are compared at two decimals.
- Ranking is competition ranking ("1224"): equal scores share a rank, the next rank skips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Item:
    name: str
    max_points: Decimal
    per_occurrence: Decimal = ZERO
    cap: Decimal | None = None
    is_veto: bool = False


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def full_marks(items: Iterable[Item]) -> Decimal:
    return sum((i.max_points for i in items if not i.is_veto), ZERO)


def item_deduction(item: Item, count: int, points: Decimal | None = None) -> Decimal:
    """Points off one item; refuses negative input and points above the item's maximum."""
    if count is None or count < 0:
        raise ValidationError({"count": [_("“%(item)s”的问题处数不能为负数") % {"item": item.name}]})
    if item.is_veto:
        return ZERO
    if points is not None:
        if points < 0:
            raise ValidationError({"points": [_("“%(item)s”的扣分不能为负数") % {"item": item.name}]})
        if points > item.max_points:
            raise ValidationError(
                {
                    "points": [
                        _("“%(item)s”扣%(points)s分，超过该项分值%(max)s分")
                        % {"item": item.name, "points": points, "max": item.max_points}
                    ]
                }
            )
        return cents(points)
    limit = item.max_points if item.cap is None else min(item.cap, item.max_points)
    return cents(min(count * item.per_occurrence, limit))


def site_total(
    items: Sequence[Item], found: Mapping[str, tuple[int, Decimal | None]]
) -> tuple[Decimal, bool]:
    """(score, vetoed) of a site given {item name: (count, points or None)}."""
    vetoed = any(i.is_veto and found.get(i.name, (0, None))[0] > 0 for i in items)
    off = sum((item_deduction(i, *found[i.name]) for i in items if i.name in found), ZERO)
    if vetoed:
        return ZERO, True
    return max(ZERO, cents(full_marks(items) - off)), False


def town_score(scores: Sequence[tuple[Decimal, int]], weighted: bool) -> Decimal | None:
    """A town's score from its sites' (score, households); None when no site was scored."""
    if not scores:
        return None
    if weighted:
        weight = sum(w for _, w in scores)
        return cents(sum((s * w for s, w in scores), ZERO) / weight)
    return cents(sum((s for s, _ in scores), ZERO) / len(scores))


def competition_ranks(scores: Mapping[str, Decimal]) -> dict[str, int]:
    """Rank 1 for the highest; ties share a rank and the next rank skips (1, 2, 2, 4)."""
    return {key: 1 + sum(1 for other in scores.values() if other > value) for key, value in scores.items()}
