"""Programmes with a headquarters: plan-making steps, projects attached, one progress page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects.factories import County, make_project
from duban.projects.models import PlanMilestone
from duban.projects.services.programmes import (
    add_project_to_programme,
    create_programme,
    reach_plan_milestone,
)

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county():
    return County()


@pytest.fixture
def programme(county):
    return create_programme(
        actor=county.office,
        county=county.region,
        name="城东新区规划建设",
        headquarters=county.other_dept,
        members=[county.dept, county.town],
        leader=county.leader,
        plan_start=D(2026, 1, 1),
        plan_end=D(2026, 12, 31),
    )


def test_a_programme_gets_its_plan_steps_and_is_audited(county, programme):
    steps = list(PlanMilestone.objects.filter(programme=programme).values_list("step", "planned_date"))
    assert [s for s, _d in steps] == ["survey", "draft", "expert_review", "approval"]
    assert steps[-1][1] == D(2026, 12, 31)
    assert AuditEntry.objects.filter(event=AuditEvent.PROGRAMME_CREATED, target_id=str(programme.pk)).exists()


def test_bad_programmes_are_refused(county):
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        create_programme(
            actor=county.office, county=county.region, name="x", headquarters=county.dept,
            plan_start=D(2026, 5, 1), plan_end=D(2026, 1, 1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="不是本县"):
        create_programme(
            actor=county.office, county=county.region, name="x", headquarters=County().dept,
            plan_start=D(2026, 1, 1), plan_end=D(2026, 2, 1),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        create_programme(
            actor=county.leader, county=county.region, name="x", headquarters=county.dept,
            plan_start=D(2026, 1, 1), plan_end=D(2026, 2, 1),
        )  # fmt: skip


def test_the_headquarters_reaches_steps_and_attaches_projects(county, programme):
    hq = make_user_with_role(Role.UNIT_LIAISON, unit=county.other_dept)
    step = programme.plan_milestones.first()
    with pytest.raises(PermissionDenied):
        reach_plan_milestone(step, actor=county.lead_liaison, actual_date=D(2026, 3, 1))
    reach_plan_milestone(step, actor=hq, actual_date=D(2026, 3, 1))
    project = make_project(county)
    add_project_to_programme(project, programme, actor=hq)
    project.refresh_from_db()
    assert project.programme == programme
    with pytest.raises(ValidationError, match="本县"):
        add_project_to_programme(make_project(County()), programme, actor=county.office)
    assert AuditEntry.objects.filter(event=AuditEvent.PROGRAMME_CHANGED).exists()


def test_the_progress_page_and_api(client, county, programme):
    project = make_project(county)
    add_project_to_programme(project, programme, actor=county.office)
    client.force_login(county.leader)
    url = reverse("projects:programme_detail", args=[programme.pk])
    html = client.get(url).content.decode()
    assert "城东新区规划建设" in html and project.name in html and "现状调查" in html
    body = client.get(f"/api/v1/programmes/{programme.pk}").json()
    assert body["projects"][0]["id"] == project.pk and len(body["steps"]) == 4
    assert client.get("/api/v1/programmes").json()[0]["name"] == "城东新区规划建设"
    client.force_login(County().office)
    assert client.get(url).status_code == 404


def test_the_progress_page_query_count_does_not_grow(client, county, programme):
    add_project_to_programme(make_project(county), programme, actor=county.office)
    client.force_login(county.office)
    url = reverse("projects:programme_detail", args=[programme.pk])
    small = count_queries(client, url)
    for _ in range(4):
        add_project_to_programme(make_project(county), programme, actor=county.office)
    assert count_queries(client, url) == small
