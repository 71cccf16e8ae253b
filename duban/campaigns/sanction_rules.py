"""Which towns a round's ranking commends, criticises or penalises, as a pure function of the ranking,
the previous round's scores and the campaign's rules (docs/campaigns.md, "Rewards and penalties")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .choices import SanctionTrigger


@dataclass(frozen=True)
class Proposal:
    town_id: int
    kind: str
    amount: Decimal
    reason: str
    rank: int | None
    score: Decimal | None


def propose(
    ranking: Iterable[tuple[int, int, Decimal]], previous: Mapping[int, Decimal], rules
) -> list[Proposal]:
    """ranking: (town id, rank, score); previous: town id -> score in the round before; rules: SanctionRule-likes.

    Ties follow the ranks: every town sharing a commended rank is commended; every town sharing
    the last rank is criticised. Two reds: below the rule's line in this round and the one before.
    """
    rows = list(ranking)
    out: list[Proposal] = []
    if not rows:
        return out
    last = max(rank for _t, rank, _s in rows)
    for rule in rules:
        for town, rank, score in rows:
            if rule.trigger == SanctionTrigger.TOP_PLACES:
                hit = rule.rank_from <= rank <= rule.rank_to
            elif rule.trigger == SanctionTrigger.LAST_PLACE:
                hit = rank == last and len(rows) > 1
            else:
                line = rule.red_below
                hit = line is not None and score < line and town in previous and previous[town] < line
            if hit:
                out.append(Proposal(town, rule.kind, rule.amount, rule.text, rank, score))
    return out
