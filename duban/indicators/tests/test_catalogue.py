"""The catalogue and targets: kept by the supervision office, every change audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators import services
from duban.indicators.choices import DataSource, Frequency, IndicatorGroup, IndicatorKind
from duban.indicators.factories import reporting_setup
from duban.indicators.models import AnnualTarget, Indicator, PeriodPlan
from duban.indicators.periods import Period
from duban.org.factories import make_county, make_unit

pytestmark = pytest.mark.django_db


def last_entry(event):
    return AuditEntry.objects.filter(event=event).order_by("-id").first()


def test_the_office_creates_an_indicator_and_it_is_audited():
    """Given the county's office, when it creates an indicator, then it exists with an audit entry."""
    s = reporting_setup()
    indicator = services.create_indicator(
        actor=s.office,
        county=s.county,
        owner_unit=s.unit,
        cooperating_units=[s.stats_unit],
        code="GDP",
        name="地区生产总值增速",
        group=IndicatorGroup.GROWTH,
        unit_of_measure="%",
        kind=IndicatorKind.GROWTH_RATE,
        frequency=Frequency.QUARTERLY,
        data_source=DataSource.STATISTICS,
        weight="8",
        max_value="30",
    )
    assert indicator.weight == Decimal(8) and indicator.max_value == Decimal(30)
    entry = last_entry(AuditEvent.INDICATOR_CREATED)
    assert entry.target_id == str(indicator.pk) and entry.actor == s.office
    assert entry.changes["cooperating_units"] == [None, [s.stats_unit.pk]]


def test_a_unit_cannot_create_indicators_and_another_countys_unit_cannot_own_one():
    s = reporting_setup()
    with pytest.raises(PermissionDenied):
        services.create_indicator(actor=s.liaison, county=s.county, owner_unit=s.unit, code="X", name="X")
    foreign = make_unit("外县单位", region=make_county("外县"))
    with pytest.raises(ValidationError, match="不是本县"):
        services.create_indicator(
            actor=s.office,
            county=s.county,
            owner_unit=foreign,
            code="X",
            name="X",
            group="growth",
            unit_of_measure="%",
            kind="absolute",
            frequency="monthly",
            data_source="statistics",
        )
    assert not Indicator.objects.filter(code="X").exists()


def test_update_refuses_text_in_a_number_field_and_changes_nothing():
    s = reporting_setup()
    with pytest.raises(ValidationError) as exc:
        services.update_indicator(s.indicator, actor=s.office, min_value="１０", weight="五")
    assert set(exc.value.error_dict) == {"min_value", "weight"}
    s.indicator.refresh_from_db()
    assert s.indicator.min_value is None


def test_update_records_the_diff():
    s = reporting_setup()
    services.update_indicator(s.indicator, actor=s.office, weight="6.5", due_working_day=7)
    entry = last_entry(AuditEvent.INDICATOR_CHANGED)
    assert entry.changes["due_working_day"] == [5, 7] and entry.changes["weight"][1] == "6.5"


def test_annual_target_and_period_plan_are_set_once_and_audited():
    s = reporting_setup()
    services.set_annual_target(s.indicator, actor=s.office, year=2026, value="120.5", target_place=4)
    services.set_annual_target(s.indicator, actor=s.office, year=2026, value="120.5", target_place=4)
    assert AnnualTarget.objects.get(indicator=s.indicator, year=2026).value == Decimal("120.5")
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATOR_TARGET_SET).count() == 1
    services.set_period_plan(s.indicator, actor=s.office, period=Period(2026, 3), value="25")
    assert PeriodPlan.objects.get(indicator=s.indicator).period == 202603
    services.set_period_plan(s.indicator, actor=s.office, period=Period(2026, 3), value="")
    assert not PeriodPlan.objects.exists()
    assert last_entry(AuditEvent.INDICATOR_TARGET_SET).changes["plan"] == ["25", None]
    with pytest.raises(ValidationError, match="全角"):
        services.set_annual_target(s.indicator, actor=s.office, year=2027, value="１２０")
