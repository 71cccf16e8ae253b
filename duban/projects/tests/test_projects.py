"""The project register: creation with its template, bad input, stewards, monthly investment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects import services
from duban.projects.choices import MILESTONE_TEMPLATES, Category
from duban.projects.factories import County, make_project, project_values
from duban.projects.lights import completion_rate, investment_light
from duban.projects.models import InvestmentReport, Project

pytestmark = pytest.mark.django_db


def last(event):
    return AuditEntry.objects.filter(event=event).order_by("-id").first()


@pytest.fixture
def county():
    return County()


def test_office_registers_a_project_with_its_category_milestones(county):
    """Given the office, when it registers an industrial project, then it gets a code, the
    industrial milestones spread over its span, and one audit entry for the project."""
    project = make_project(county, name=" 年产10万吨新材料项目 ")

    assert project.name == "年产10万吨新材料项目"
    assert project.county == county.region
    assert project.code.startswith(f"{county.region.code}-2026-")
    kinds = list(project.milestones.values_list("kind", flat=True))
    assert kinds == [str(k) for k in MILESTONE_TEMPLATES[Category.INDUSTRIAL]]
    dates = list(project.milestones.values_list("planned_date", flat=True))
    assert all(project.planned_start <= d <= project.planned_completion for d in dates)
    assert dates[-1] == project.planned_completion
    entry = last(AuditEvent.PROJECT_CREATED)
    assert entry.target_id == str(project.pk) and entry.actor == county.office
    assert entry.changes["name"] == [None, "年产10万吨新材料项目"]
    assert AuditEntry.objects.filter(event=AuditEvent.MILESTONE_ADDED, parent_id=str(project.pk)).count() == 7


def test_the_lead_units_liaison_may_register_its_own_project_but_not_anothers(county):
    project = make_project(county, actor=county.lead_liaison)
    assert project.lead_unit == county.dept
    with pytest.raises(PermissionDenied):
        make_project(county, actor=county.other_liaison)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"planned_start": datetime.date(2026, 6, 1), "planned_completion": datetime.date(2026, 5, 1)},
            "planned_completion",
            "计划竣工日期不能早于计划开工日期",
        ),
        ({"total_investment": Decimal("-1")}, "total_investment", "金额不能为负数"),
        ({"year_plan_investment": Decimal("-0.01")}, "year_plan_investment", "金额不能为负数"),
        ({"year_plan_investment": Decimal("60000")}, "year_plan_investment", "年度计划投资不能超过总投资"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_saved(county, overrides, field, message):
    before = Project.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=county.office, **project_values(county, **overrides))
    assert message in str(exc.value.message_dict[field])
    assert (Project.objects.count(), AuditEntry.objects.count()) == before


def test_a_location_or_leader_outside_the_county_is_refused(county):
    other = County()
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=county.office, **project_values(county, location_unit=other.town))
    assert "location_unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=county.office, **project_values(county, leader_in_charge=other.leader))
    assert "分管领导须为本县(区)的县领导" in exc.value.message_dict["leader_in_charge"][0]


def test_update_is_audited_with_the_changed_fields_only(county):
    project = make_project(county)
    services.update_project(project, actor=county.lead_liaison, investor="新投资方")
    entry = last(AuditEvent.PROJECT_CHANGED)
    assert entry.changes == {"investor": ["某某实业有限公司", "新投资方"]}


def test_a_unit_without_a_stake_may_not_update(county):
    project = make_project(county)
    with pytest.raises(PermissionDenied):
        services.update_project(project, actor=county.other_liaison, investor="x")


def test_office_names_a_full_time_steward_who_then_edits_the_project(county):
    """Given a cadre of another unit named full-time steward, then that cadre may edit the project."""
    project = make_project(county)
    steward = county.other_liaison
    stewardship = services.assign_steward(
        project, actor=county.office, user=steward, full_time=True, start_date=datetime.date(2026, 3, 1)
    )
    assert stewardship.full_time
    assert last(AuditEvent.STEWARD_ASSIGNED).parent_id == str(project.pk)
    services.update_project(project, actor=steward, description="现场施工正常")
    services.end_stewardship(stewardship, actor=county.office, end_date=datetime.date(2026, 10, 1))
    with pytest.raises(PermissionDenied):
        services.update_project(project, actor=steward, description="x")


def test_a_unit_cannot_be_a_full_time_steward(county):
    project = make_project(county)
    with pytest.raises(ValidationError) as exc:
        services.assign_steward(
            project,
            actor=county.office,
            unit=county.other_dept,
            full_time=True,
            start_date=datetime.date(2026, 3, 1),
        )
    assert "只有干部可以脱产包保" in exc.value.message_dict["full_time"][0]


def test_cumulative_investment_cannot_fall_without_a_reason(county):
    """Given 3000 reported for May, when June says 2500 without a reason, then it is refused;
    with a reason it is kept and audited with the reason."""
    project = make_project(county)
    services.report_investment(
        project, actor=county.lead_liaison, year=2026, month=5, cumulative=Decimal("3000")
    )
    with pytest.raises(ValidationError) as exc:
        services.report_investment(
            project, actor=county.lead_liaison, year=2026, month=6, cumulative=Decimal("2500")
        )
    assert "不能低于此前填报的3000" in exc.value.message_dict["cumulative"][0]
    assert InvestmentReport.objects.filter(project=project).count() == 1
    services.report_investment(
        project,
        actor=county.lead_liaison,
        year=2026,
        month=6,
        cumulative=Decimal("2500"),
        reason="统计口径核减",
    )
    entry = last(AuditEvent.INVESTMENT_REPORTED)
    assert entry.reason == "统计口径核减" and entry.changes == {"cumulative_2026_06": [None, "2500.00"]}
    project.refresh_from_db()
    assert project.year_completed_investment == Decimal("2500")


def test_negative_investment_and_bad_month_are_refused(county):
    project = make_project(county)
    with pytest.raises(ValidationError):
        services.report_investment(
            project, actor=county.lead_liaison, year=2026, month=3, cumulative=Decimal("-5")
        )
    with pytest.raises(ValidationError):
        services.report_investment(
            project, actor=county.lead_liaison, year=2026, month=13, cumulative=Decimal("5")
        )


def test_year_completion_rate_against_time_progress(county):
    """Given a 12000 plan and 4200 done by the end of June, then the rate is 35% and the light is
    red (time progress 49.6%, 14.6 points behind)."""
    project = make_project(county)
    services.report_investment(
        project, actor=county.lead_liaison, year=2026, month=6, cumulative=Decimal("4200")
    )
    project.refresh_from_db()
    assert completion_rate(project) == Decimal("35.0")
    light = investment_light(project, datetime.date(2026, 6, 30))
    assert light.colour == "red" and "14.6%" in light.reason


def test_project_light_is_stored_for_lists(county):
    project = make_project(
        county,
        planned_start=timezone.localdate() - datetime.timedelta(days=400),
        planned_completion=timezone.localdate() + datetime.timedelta(days=30),
        year=timezone.localdate().year,
    )
    project.refresh_from_db()
    assert project.light == "red" and project.light_reason
    assert services.refresh_lights() == 0
