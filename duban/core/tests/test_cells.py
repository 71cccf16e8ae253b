from decimal import Decimal

import pytest

from duban.core.cells import neutralise


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_looks_like_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-3, Decimal("-1.50"), 0, "发改局", "", None])
def test_numbers_and_plain_text_are_untouched(value):
    assert neutralise(value) == value
