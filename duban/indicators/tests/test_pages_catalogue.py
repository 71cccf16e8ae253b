"""The office's catalogue pages: create/edit an indicator, annual target and period plan.

Only the county's supervision office may use them (403 when the indicator is visible, 404 when
not); bad input gives a Chinese message and saves nothing; every save is audited."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.indicators.choices import DataSource, Direction, Frequency, IndicatorGroup, IndicatorKind
from duban.indicators.factories import reporting_setup
from duban.indicators.models import AnnualTarget, Indicator, PeriodPlan
from duban.org.factories import make_county, make_unit

pytestmark = pytest.mark.django_db


def form_data(s, **overrides):
    data = {
        "code": "GDPNEW",
        "name": "规上工业增加值",
        "group": IndicatorGroup.GROWTH,
        "unit_of_measure": "亿元",
        "kind": IndicatorKind.ABSOLUTE,
        "direction": Direction.HIGHER,
        "frequency": Frequency.MONTHLY,
        "cumulative": "on",
        "owner_unit": s.unit.pk,
        "cooperating_units": [s.stats_unit.pk],
        "weight": "6.5",
        "data_source": DataSource.STATISTICS,
        "due_working_day": "5",
        "min_value": "0",
        "max_value": "",
        "jump_band": "",
        "is_active": "on",
        "sort_order": "3",
    }
    data.update(overrides)
    return data


def test_the_office_creates_an_indicator_from_the_page_and_it_is_audited(client):
    """Given the county's office, when it posts the form, then the indicator exists, audited."""
    s = reporting_setup()
    client.force_login(s.office)
    response = client.post(reverse("indicators:indicator_create"), form_data(s))
    indicator = Indicator.objects.get(code="GDPNEW")
    assert response.status_code == 302
    assert response.url == reverse("indicators:indicator_targets", args=[indicator.pk])
    assert indicator.county == s.county and indicator.weight == Decimal("6.5")
    assert list(indicator.cooperating_units.all()) == [s.stats_unit]
    entry = AuditEntry.objects.filter(event=AuditEvent.INDICATOR_CREATED).order_by("-id").first()
    assert entry.target_id == str(indicator.pk) and entry.actor == s.office


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("weight", "１２", "全角"), ("min_value", "十", ""), ("max_value", "-5", "下限")],
)
def test_bad_figures_save_nothing_and_say_why_in_chinese(client, field, value, message):
    """Given a full-width digit, a word or a range upside down, then nothing is saved and the form says why."""
    s = reporting_setup()
    client.force_login(s.office)
    before = Indicator.objects.count()
    response = client.post(reverse("indicators:indicator_create"), form_data(s, **{field: value}))
    assert response.status_code == 200
    assert Indicator.objects.count() == before
    errors = response.context["form"].errors
    assert errors
    assert message in "".join(str(e) for e in errors.values())


def test_units_of_another_county_cannot_be_chosen(client):
    """Given a unit of another county as cooperating unit, then the form refuses it and saves nothing."""
    s = reporting_setup()
    stranger = make_unit("外县统计局", region=make_county("外县"))
    client.force_login(s.office)
    response = client.post(
        reverse("indicators:indicator_create"), form_data(s, cooperating_units=[stranger.pk])
    )
    assert response.status_code == 200 and "cooperating_units" in response.context["form"].errors
    assert not Indicator.objects.filter(code="GDPNEW").exists()


def test_the_office_edits_an_indicator_and_the_change_is_audited(client):
    """Given an indicator, when the office renames it, then the change is saved and audited."""
    s = reporting_setup()
    client.force_login(s.office)
    url = reverse("indicators:indicator_edit", args=[s.indicator.pk])
    assert client.get(url).status_code == 200
    data = form_data(s, name="新名称")
    data.pop("code")
    response = client.post(url, data)
    assert response.status_code == 302
    s.indicator.refresh_from_db()
    assert s.indicator.name == "新名称" and s.indicator.code != "GDPNEW"
    entry = AuditEntry.objects.filter(event=AuditEvent.INDICATOR_CHANGED).order_by("-id").first()
    assert entry.changes["name"][1] == "新名称"


def test_a_failed_edit_leaves_the_indicator_as_it_was(client):
    """Given an upside-down range, when the office saves, then nothing of the edit is kept."""
    s = reporting_setup()
    client.force_login(s.office)
    data = form_data(s, name="不应保存", min_value="10", max_value="1")
    data.pop("code")
    response = client.post(reverse("indicators:indicator_edit", args=[s.indicator.pk]), data)
    assert response.status_code == 200
    s.indicator.refresh_from_db()
    assert s.indicator.name != "不应保存"
    assert not AuditEntry.objects.filter(event=AuditEvent.INDICATOR_CHANGED).exists()


def test_others_get_403_when_they_see_the_indicator_and_404_when_not(client):
    """Given the owning unit, a leader and another county's office, then 403, 403 and 404."""
    s = reporting_setup()
    leader = make_user_with_role(Role.COUNTY_LEADER, region=s.county)
    other = make_county("别县")
    other_office = make_user_with_role(
        Role.SUPERVISION_OFFICE, unit=make_unit("别县督查室", region=other), region=other
    )
    for name in ("indicators:indicator_edit", "indicators:indicator_targets"):
        url = reverse(name, args=[s.indicator.pk])
        for user, status in ((s.liaison, 403), (leader, 403), (other_office, 404)):
            client.force_login(user)
            assert client.get(url).status_code == status, (name, user)
    client.force_login(s.liaison)
    assert client.get(reverse("indicators:indicator_create")).status_code == 403


def test_links_show_for_the_office_only(client):
    """Given the board and the indicator page, then only the office sees the catalogue links."""
    s = reporting_setup()
    detail = reverse("indicators:indicator_detail", args=[s.indicator.pk])
    edit = reverse("indicators:indicator_edit", args=[s.indicator.pk])
    client.force_login(s.office)
    assert reverse("indicators:indicator_create") in client.get(reverse("indicators:board")).content.decode()
    assert edit in client.get(detail).content.decode()
    client.force_login(s.liaison)
    assert edit not in client.get(detail).content.decode()


def test_the_office_sets_the_annual_target_and_place(client):
    """Given the targets page, when the office saves a target, then it is stored and audited once."""
    s = reporting_setup()
    client.force_login(s.office)
    url = reverse("indicators:indicator_targets", args=[s.indicator.pk])
    response = client.post(url, {"form": "target", "year": "2026", "value": "120.5", "target_place": "3"})
    assert response.status_code == 302
    target = AnnualTarget.objects.get(indicator=s.indicator, year=2026)
    assert target.value == Decimal("120.5") and target.target_place == 3
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATOR_TARGET_SET).count() == 1


def test_a_bad_target_saves_nothing(client):
    """Given text or a full-width figure as target, then a Chinese error and no target."""
    s = reporting_setup()
    client.force_login(s.office)
    url = reverse("indicators:indicator_targets", args=[s.indicator.pk])
    for value in ("一百", "１００"):
        response = client.post(url, {"form": "target", "year": "2026", "value": value})
        assert response.status_code == 200 and response.context["target_form"].errors
    response = client.post(url, {"form": "target", "year": "2026", "value": "10", "target_place": "0"})
    assert "target_place" in response.context["target_form"].errors
    assert not AnnualTarget.objects.filter(indicator=s.indicator).exists()


def test_plan_entered_derived_and_removed(client):
    """Given a cumulative indicator with a target, then periods follow time progress until a plan
    is entered; a blank plan goes back to time progress; a bad period saves nothing."""
    s = reporting_setup(cumulative=True)
    AnnualTarget.objects.create(indicator=s.indicator, year=2026, value=120)
    client.force_login(s.office)
    url = reverse("indicators:indicator_targets", args=[s.indicator.pk])
    rows = client.get(url, {"year": "2026"}).context["rows"]
    assert [r["value"] for r in rows][:3] == [Decimal(10), Decimal(20), Decimal(30)]
    assert client.post(url, {"form": "plan", "period": "2026-03", "value": "25"}).status_code == 302
    rows = client.get(url, {"year": "2026"}).context["rows"]
    assert rows[2]["value"] == Decimal(25) and rows[2]["entered"]
    response = client.post(url, {"form": "plan", "period": "2026Q5", "value": "1"})
    assert response.status_code == 200 and "period" in response.context["plan_form"].errors
    client.post(url, {"form": "plan", "period": "2026-03", "value": ""})
    assert not PeriodPlan.objects.filter(indicator=s.indicator).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATOR_TARGET_SET).count() == 2


def targets_queries(client, plans: int) -> int:
    s = reporting_setup(cumulative=True)
    AnnualTarget.objects.create(indicator=s.indicator, year=2026, value=120)
    PeriodPlan.objects.bulk_create(
        [PeriodPlan(indicator=s.indicator, period=202600 + m, value=m) for m in range(1, plans + 1)]
    )
    client.force_login(s.office)
    url = reverse("indicators:indicator_targets", args=[s.indicator.pk])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"year": "2026"}).status_code == 200
    return len(ctx.captured_queries)


def test_targets_page_query_count_does_not_grow_with_plans(client):
    """Given 1 or 12 entered plans, then the page needs the same number of queries."""
    assert targets_queries(client, 1) == targets_queries(client, 12)
