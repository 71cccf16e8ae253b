import pytest

from duban.investment.factories import make_investment_county


@pytest.fixture
def county(db):
    return make_investment_county()
