"""The reporting workflow: enter -> submit -> approve -> verify; locked; corrections add a version."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators import services
from duban.indicators.choices import Frequency, IndicatorKind, ValueStatus
from duban.indicators.factories import make_official_value, reporting_setup
from duban.indicators.models import IndicatorValue
from duban.indicators.periods import Period
from duban.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)
OCT = Period(2026, 10)


def entry(event, target):
    return AuditEntry.objects.filter(event=event, target_id=str(target.pk)).order_by("-id").first()


def enter(s, value="12.5", period=OCT, **kw):
    return services.enter_value(s.indicator, actor=s.liaison, period=period, value=value, today=TODAY, **kw)


def test_the_full_path_to_a_verified_locked_figure_is_audited_at_each_step():
    """Given a liaison's draft, when submitted, approved and verified, then it is official and locked."""
    s = reporting_setup()
    row = enter(s)
    assert entry(AuditEvent.INDICATOR_VALUE_ENTERED, row).changes["value"] == [None, "12.5"]
    row = services.submit_value(row, actor=s.liaison)
    assert Notification.objects.filter(recipient=s.head, kind="indicators.submitted").exists()
    row = services.approve_value(row, actor=s.head)
    assert row.is_official and row.status == ValueStatus.APPROVED
    row = services.verify_value(row, actor=s.stats)
    assert row.status == ValueStatus.VERIFIED and row.verified_by == s.stats
    for event in (
        AuditEvent.INDICATOR_VALUE_SUBMITTED,
        AuditEvent.INDICATOR_VALUE_APPROVED,
        AuditEvent.INDICATOR_VALUE_VERIFIED,
    ):
        assert entry(event, row) is not None
    with pytest.raises(ValidationError, match="已审核锁定"):
        enter(s, "13")


def test_only_the_head_approves_and_only_the_statistics_bureau_verifies():
    s = reporting_setup()
    row = services.submit_value(enter(s), actor=s.liaison)
    with pytest.raises(PermissionDenied):
        services.approve_value(row, actor=s.liaison)
    with pytest.raises(PermissionDenied):
        services.approve_value(row, actor=s.stats)
    row = services.approve_value(row, actor=s.head)
    with pytest.raises(PermissionDenied):
        services.verify_value(row, actor=s.head)


def test_a_return_needs_a_reason_and_reopens_the_draft():
    s = reporting_setup()
    row = services.submit_value(enter(s), actor=s.liaison)
    with pytest.raises(ValidationError, match="请填写原因"):
        services.return_value(row, actor=s.head, reason=" ")
    row = services.return_value(row, actor=s.head, reason="口径不对")
    assert row.status == ValueStatus.RETURNED
    assert entry(AuditEvent.INDICATOR_VALUE_RETURNED, row).reason == "口径不对"
    assert enter(s, "12.8").value == Decimal("12.8")
    with pytest.raises(ValidationError, match="不能审核通过"):
        services.approve_value(row, actor=s.head)


def test_a_correction_adds_a_version_and_the_old_one_stays_official_until_approved():
    s = reporting_setup()
    v1 = services.approve_value(services.submit_value(enter(s), actor=s.liaison), actor=s.head)
    with pytest.raises(ValidationError, match="请填写原因"):
        services.correct_value(v1, actor=s.liaison, reason="")
    v2 = services.correct_value(v1, actor=s.liaison, reason="统计口径调整")
    assert (v2.version, v2.status, v2.is_current, v2.is_official) == (2, ValueStatus.DRAFT, True, False)
    v1.refresh_from_db()
    assert v1.is_official and not v1.is_current
    assert entry(AuditEvent.INDICATOR_VALUE_CORRECTED, v2).reason == "统计口径调整"
    v2 = enter(s, "12.9")
    v2 = services.approve_value(services.submit_value(v2, actor=s.liaison), actor=s.head)
    v1.refresh_from_db()
    assert v1.status == ValueStatus.SUPERSEDED and not v1.is_official and v2.is_official
    assert IndicatorValue.objects.filter(indicator=s.indicator).count() == 2


def test_a_period_not_yet_over_is_refused():
    s = reporting_setup()
    with pytest.raises(ValidationError, match="尚未结束"):
        enter(s, period=Period(2026, 11))
    assert not IndicatorValue.objects.exists()


def test_another_unit_cannot_enter_and_submitted_figures_cannot_change():
    s = reporting_setup()
    with pytest.raises(PermissionDenied):
        services.enter_value(s.indicator, actor=s.stats, period=OCT, value="1", today=TODAY)
    services.submit_value(enter(s), actor=s.liaison)
    with pytest.raises(ValidationError, match="已提交待审核"):
        enter(s, "20")


def test_a_cumulative_figure_never_falls_below_the_previous_period():
    s = reporting_setup(cumulative=True)
    make_official_value(s.indicator, s.county, 202609, "100")
    with pytest.raises(ValidationError, match="累计值不能小于上期"):
        enter(s, "99.5", explanation="x")
    assert enter(s, "110").value == Decimal(110)


def test_a_jump_beyond_the_band_needs_an_explanation():
    s = reporting_setup()
    make_official_value(s.indicator, s.county, 202609, "10")
    with pytest.raises(ValidationError, match=r"较上期变动40\.0%"):
        enter(s, "14")
    assert enter(s, "14", explanation="新投产企业集中入统").explanation == "新投产企业集中入统"
    assert enter(s, "12.9", explanation="").value == Decimal("12.9")  # within 30%


def test_a_growth_rate_needs_last_year_and_jumps_count_in_points():
    s = reporting_setup(kind=IndicatorKind.GROWTH_RATE, unit_of_measure="%", frequency=Frequency.QUARTERLY)
    q3 = Period(2026, 9, Frequency.QUARTERLY)
    with pytest.raises(ValidationError) as exc:
        enter(s, "6.5", period=q3)
    assert "last_year_value" in exc.value.error_dict
    with pytest.raises(ValidationError, match=r"较上年同期变动12\.0个百分点"):
        enter(s, "18.5", period=q3, last_year_value="6.5")
    assert enter(s, "7.5", period=q3, last_year_value="6.5").last_year_value == Decimal("6.5")


def test_range_text_and_full_width_digits_are_refused_with_every_message_at_once():
    s = reporting_setup(min_value="0", max_value="1000")
    with pytest.raises(ValidationError, match="高于合理上限 1000"):
        enter(s, "1000.5", explanation="x")
    with pytest.raises(ValidationError) as exc:
        enter(s, "１２", last_year_value="十二")
    assert "全角" in exc.value.error_dict["value"][0].message
    assert "不是数字" in exc.value.error_dict["last_year_value"][0].message
    assert not IndicatorValue.objects.exists()
