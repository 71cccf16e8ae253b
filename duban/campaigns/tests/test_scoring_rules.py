"""Property tests of the pure scoring and roll-up rules (duban.campaigns.scoring)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from duban.campaigns import scoring
from duban.campaigns.scoring import Item

points = st.decimals(min_value=0, max_value=100, places=2)
counts = st.integers(min_value=0, max_value=50)


@st.composite
def items(draw):
    max_points = draw(points)
    cap = draw(st.none() | st.decimals(min_value=0, max_value=max_points, places=2))
    return Item("项目", max_points, draw(st.decimals(min_value=0, max_value=10, places=2)), cap)


@given(items(), counts)
def test_a_deduction_never_passes_its_cap_nor_the_item_maximum(item, count):
    off = scoring.item_deduction(item, count)
    assert Decimal(0) <= off <= item.max_points
    assert item.cap is None or off <= item.cap
    assert off == min(count * item.per_occurrence, item.cap if item.cap is not None else item.max_points)


@given(items(), points)
def test_points_entered_above_the_maximum_are_refused(item, entered):
    if entered > item.max_points:
        with pytest.raises(ValidationError, match="超过该项分值"):
            scoring.item_deduction(item, 1, entered)
    else:
        assert scoring.item_deduction(item, 1, entered) == entered


def test_negative_counts_and_points_are_refused():
    item = Item("垃圾", Decimal(20), Decimal(1), Decimal(5))
    with pytest.raises(ValidationError, match="不能为负数"):
        scoring.item_deduction(item, -1)
    with pytest.raises(ValidationError, match="不能为负数"):
        scoring.item_deduction(item, 1, Decimal("-0.5"))


@given(st.lists(st.tuples(items(), counts), min_size=1, max_size=6), counts)
def test_a_site_scores_between_zero_and_full_marks_and_a_veto_zeroes_it(found, veto_count):
    sheet = [Item(f"项{n}", i.max_points, i.per_occurrence, i.cap) for n, (i, _c) in enumerate(found)]
    veto = Item("否决", Decimal(0), is_veto=True)
    counts_by_name = {i.name: (c, None) for i, (_x, c) in zip(sheet, found, strict=True)}
    total, vetoed = scoring.site_total(sheet, counts_by_name)
    expected = scoring.full_marks(sheet) - sum(
        scoring.item_deduction(i, c) for i, (c, _p) in zip(sheet, counts_by_name.values(), strict=True)
    )
    assert not vetoed and total == max(Decimal(0), expected) <= scoring.full_marks(sheet)
    total, vetoed = scoring.site_total([*sheet, veto], {**counts_by_name, "否决": (veto_count, None)})
    assert vetoed == (veto_count > 0)
    assert (total == 0) if vetoed else total == max(Decimal(0), expected)


site_scores = st.lists(st.tuples(points, st.integers(min_value=1, max_value=2000)), min_size=1, max_size=8)


@given(site_scores)
def test_a_town_score_lies_between_its_worst_and_best_site(scores):
    for weighted in (False, True):
        town = scoring.town_score(scores, weighted)
        assert min(s for s, _ in scores) <= town <= max(s for s, _ in scores)


@given(site_scores)
def test_equal_weights_make_the_weighted_score_the_average(scores):
    same = [(s, 7) for s, _ in scores]
    assert scoring.town_score(same, True) == scoring.town_score(same, False)


def test_weighting_follows_households():
    """95 over 300 households and 85 over 100: average 90.00, weighted 92.50."""
    scores = [(Decimal(95), 300), (Decimal(85), 100)]
    assert scoring.town_score(scores, False) == Decimal("90.00")
    assert scoring.town_score(scores, True) == Decimal("92.50")


@given(st.dictionaries(st.text(min_size=1, max_size=3), points, min_size=1, max_size=10))
def test_ranks_are_competition_ranks(scores):
    ranks = scoring.competition_ranks(scores)
    for key, value in scores.items():
        assert ranks[key] == 1 + sum(1 for v in scores.values() if v > value)
        ties = [k for k, v in scores.items() if v == value]
        assert {ranks[k] for k in ties} == {ranks[key]}
    assert min(ranks.values()) == 1
