"""Who sees and changes projects: the policy rules `projects.*`."""

import datetime

import pytest

from duban.accounts import policy
from duban.projects import services
from duban.projects.factories import County, make_project
from duban.projects.models import Milestone, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County()


def visible(user, model=Project, action="view"):
    return set(policy.scope_queryset(model.objects.all(), user, action))


def test_leaders_office_and_inspectors_see_the_county_register_and_only_the_office_changes_it(county):
    project = make_project(county)
    for user in (county.office, county.leader, county.inspector):
        assert visible(user) == {project}
    assert visible(county.office, action="change") == {project}
    assert visible(county.leader, action="change") == set()
    assert visible(county.inspector, action="change") == set()


def test_the_lead_unit_sees_and_changes_other_units_see_nothing(county):
    project = make_project(county)
    assert visible(county.lead_liaison, action="change") == {project}
    assert visible(county.lead_head) == {project}
    assert visible(county.other_liaison) == set()
    assert visible(county.other_liaison, Milestone) == set()


def test_another_countys_office_sees_nothing(county):
    make_project(county)
    other = County()
    assert visible(other.office) == set()
    assert visible(other.leader, Milestone) == set()


def test_a_steward_unit_sees_and_changes_the_project_and_its_milestones(county):
    project = make_project(county)
    services.assign_steward(
        project, actor=county.office, unit=county.other_dept, start_date=datetime.date(2026, 1, 5)
    )
    assert visible(county.other_liaison, action="change") == {project}
    assert visible(county.other_liaison, Milestone) == set(project.milestones.all())
