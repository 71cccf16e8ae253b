"""Ranks, scores, lagging and the simulator: property tests (ties, direction, missing peers),
the database's RANK() against the rule, and the worked example of docs/indicators.md."""

import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.indicators.choices import Direction
from duban.indicators.factories import make_indicator, make_official_value
from duban.indicators.models import IndicatorValue
from duban.indicators.queries import ranked_values
from duban.indicators.ranking import (
    bottom_third_from,
    is_lagging,
    leverage,
    rank_of,
    ranks,
    score,
    simulate,
    value_for_place,
)
from duban.org.factories import make_county

SEQ = itertools.count(1)
figures = st.decimals(
    min_value=Decimal(-50), max_value=Decimal(50), places=1, allow_nan=False, allow_infinity=False
)
# Small pools of values so that ties are frequent.
peer_values = st.lists(
    st.sampled_from([Decimal(x) / 2 for x in range(-4, 8)]) | figures, min_size=1, max_size=11
)


@given(peer_values, st.booleans())
def test_ties_share_a_place_and_places_count_the_better_ones(values, lower):
    placed = ranks(dict(enumerate(values)), lower)
    for i, v in enumerate(values):
        assert placed[i] == 1 + sum(1 for w in values if (w < v if lower else w > v))
        for j, w in enumerate(values):
            if v == w:
                assert placed[i] == placed[j]
    assert min(placed.values()) == 1


@given(peer_values)
def test_reversing_the_direction_reverses_the_order(values):
    high, low = ranks(dict(enumerate(values)), False), ranks(dict(enumerate(values)), True)
    for i in range(len(values)):
        for j in range(len(values)):
            if values[i] != values[j]:
                assert (high[i] < high[j]) == (low[i] > low[j])


@given(peer_values, st.booleans(), st.data())
def test_a_missing_peer_never_worsens_anyone_else(values, lower, data):
    if len(values) < 2:
        return
    gone = data.draw(st.integers(0, len(values) - 1))
    full = ranks(dict(enumerate(values)), lower)
    fewer = ranks({i: v for i, v in enumerate(values) if i != gone}, lower)
    assert all(fewer[i] <= full[i] for i in fewer)


@given(figures, peer_values, st.booleans(), st.integers(1, 12))
def test_the_value_for_a_place_reaches_it_and_anything_worse_does_not(ours, others, lower, place):
    needed = value_for_place(others, place, lower)
    if needed is None:
        assert rank_of(Decimal(-(10**6)) if not lower else Decimal(10**6), others, lower) <= place
        return
    assert rank_of(needed, others, lower) <= place
    slightly_worse = needed + (Decimal("0.01") if lower else Decimal("-0.01"))
    assert rank_of(slightly_worse, others, lower) > place


@given(figures, peer_values, st.booleans(), st.one_of(st.none(), st.integers(1, 12)))
def test_the_simulator_gaps_are_exact(ours, others, lower, target):
    sim = simulate(ours, others, lower, target)
    step = Decimal(-1) if lower else Decimal(1)
    assert sim.rank == rank_of(ours, others, lower)
    if sim.gap_up is None:
        assert sim.rank == 1
    else:
        assert rank_of(ours + step * sim.gap_up, others, lower) == sim.rank - 1 or (
            rank_of(ours + step * sim.gap_up, others, lower) < sim.rank
        )
        if sim.gap_up > 0:
            assert rank_of(ours + step * (sim.gap_up - Decimal("0.01")), others, lower) == sim.rank
    if target is not None:
        assert rank_of(ours + step * sim.gap_target, others, lower) <= target or len(others) < target
    if sim.cushion is not None:
        assert rank_of(ours - step * sim.cushion, others, lower) == sim.rank
        assert rank_of(ours - step * (sim.cushion + Decimal("0.01")), others, lower) > sim.rank
    else:
        assert sim.rank + sum(1 for o in others if o == ours) == len(others) + 1


@given(st.integers(1, 11), st.integers(1, 11))
def test_scores_never_rise_as_places_fall(a, b):
    if a < b:
        assert score(a, Decimal(5), "growth") >= score(b, Decimal(5), "growth")


def test_score_rule_and_lagging_are_configurable():
    assert score(1, Decimal(5), "growth") == Decimal("5.00")
    assert score(3, Decimal(5), "growth") == Decimal("4.50")
    assert score(20, Decimal(5), "growth") == Decimal("2.00")  # floor 40%
    assert bottom_third_from(11) == 9 and bottom_third_from(2) == 3
    assert is_lagging(9, 11, None) and not is_lagging(8, 11, None)
    assert is_lagging(5, 11, 4)
    with override_settings(
        DUBAN_INDICATORS={
            "lagging_rule": "bottom_third",
            "score_rules": {"fiscal": {"step": "0.1", "floor": 0}},
        }
    ):
        assert not is_lagging(5, 11, 4)
        assert score(3, Decimal(5), "fiscal") == Decimal("4.00")


def test_leverage_compares_on_the_peers_spread():
    lev = leverage("a", Decimal(8), [Decimal(10), Decimal(6), Decimal(12)], False, Decimal(4), "growth")
    # 8 is third; 10 (second) needs +2; spread 12-6 = 6: effort 0.3333; gain 4x0.05 = 0.20
    assert (lev.score_gain, lev.effort, lev.per_effort) == (
        Decimal("0.20"),
        Decimal("0.3333"),
        Decimal("0.60"),
    )


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from([Decimal(1), Decimal("2.5"), Decimal(4), Decimal(-3)]), min_size=1, max_size=6),
    st.booleans(),
)
def test_the_database_rank_equals_the_rule(values, lower):
    IndicatorValue.objects.all().delete()
    counties = [make_county(f"同城县{next(SEQ)}") for _ in values]
    indicator = make_indicator(counties[0], direction=Direction.LOWER if lower else Direction.HIGHER)
    for county, value in zip(counties, values, strict=True):
        make_official_value(indicator, county, 202610, value)
    make_official_value(indicator, counties[0], 202609, 1)  # another period: its own partition
    rows = ranked_values(IndicatorValue.objects.filter(indicator=indicator, period=202610))
    expected = ranks({c.pk: v for c, v in zip(counties, values, strict=True)}, lower)
    assert {r.county_id: r.place for r in rows} == expected
    assert {r.peers for r in rows} == {len(values)}


@pytest.mark.django_db
def test_the_worked_example_in_the_docs_holds():
    """docs/indicators.md states values, places, scores and gaps for 11 counties: recompute them."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "indicators.md").read_text()
    block = text.split("<!-- worked-example -->")[1]
    rows = re.findall(r"^\| (\S+) \| (-?[\d.]+) \| (\d+) \| ([\d.]+) \|$", block, re.M)
    assert len(rows) == 11
    values = {name: Decimal(v) for name, v, _p, _s in rows}
    placed = ranks(values, False)
    for name, _v, place, points in rows:
        assert placed[name] == int(place)
        assert score(int(place), Decimal(5), "growth") == Decimal(points)
    ours = values["禾川县"]
    sim = simulate(ours, [v for k, v in values.items() if k != "禾川县"], False, 4)
    facts = dict(re.findall(r"^- (\w+): (-?[\d.]+)$", block, re.M))
    assert sim.gap_up == Decimal(facts["gap_up"])
    assert sim.gap_target == Decimal(facts["gap_target"])
    assert sim.cushion == Decimal(facts["cushion"])
    assert is_lagging(sim.rank, 11, 4) is (facts["lagging"] == "1")
