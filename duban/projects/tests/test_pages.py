"""Pages: the register (filters, light counts), the project page, the problem loop by form posts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.projects import services
from duban.projects.choices import ProblemStatus
from duban.projects.factories import County, make_project
from duban.projects.models import Problem

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county():
    return County()


def count_queries(client, url):
    client.get(url)  # warm per-process caches (calendar years, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_register_filters_by_light_and_counts_per_light(client, county):
    red = make_project(
        county, name="红灯项目", year=2024, planned_start=D(2024, 1, 1), planned_completion=D(2024, 12, 31)
    )
    client.force_login(county.leader)
    html = client.get(reverse("projects:project_list")).content.decode()
    assert "红灯项目" in html and "红灯 1" in html
    html = client.get(reverse("projects:project_list") + "?light=green").content.decode()
    assert "红灯项目" not in html
    assert red.pk


def test_register_query_count_does_not_grow(client, county):
    make_project(county)
    client.force_login(county.office)
    url = reverse("projects:project_list")
    small = count_queries(client, url)
    for _ in range(6):
        make_project(county)
    assert count_queries(client, url) == small


def test_project_page_query_count_does_not_grow(client, county):
    project = make_project(county)
    services.raise_problem(
        project, actor=county.office, kind="land", title="p0", units=[county.other_dept], working_days=3
    )
    client.force_login(county.office)
    url = reverse("projects:project_detail", args=[project.pk])
    small = count_queries(client, url)
    for i in range(5):
        services.raise_problem(
            project,
            actor=county.office,
            kind="land",
            title=f"p{i + 1}",
            units=[county.other_dept, county.town],
            working_days=3,
        )
        services.report_investment(
            project, actor=county.office, year=2026, month=i + 1, cumulative=100 * (i + 1)
        )
    assert count_queries(client, url) == small


def test_an_outsider_gets_404_for_the_project_and_its_problems(client, county):
    project = make_project(county)
    problem = services.raise_problem(project, actor=county.office, kind="land", title="p")
    client.force_login(County().office)
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
    assert client.get(reverse("projects:problem_detail", args=[problem.pk])).status_code == 404


def test_the_problem_loop_through_the_pages(client, county):
    """Raise without units, the office assigns, the unit answers, the raiser closes it out."""
    project = make_project(county)
    client.force_login(county.lead_liaison)
    response = client.post(
        reverse("projects:problem_create", args=[project.pk]),
        {"kind": "utilities", "title": "施工用电未接通", "description": "需增容"},
    )
    problem = Problem.objects.get(title="施工用电未接通")
    assert response.status_code == 302

    client.force_login(county.office)
    page = client.get(reverse("projects:problem_detail", args=[problem.pk])).content.decode()
    assert "交办" in page
    response = client.post(
        reverse("projects:problem_action", args=[problem.pk, "assign"]),
        {"units": [county.other_dept.pk], "working_days": 3},
    )
    assert response.status_code == 302

    client.force_login(county.other_liaison)
    bad = client.post(reverse("projects:problem_action", args=[problem.pk, "answer"]), {"answer": ""})
    assert bad.status_code == 422
    client.post(reverse("projects:problem_action", args=[problem.pk, "answer"]), {"answer": "已协调供电公司"})
    client.force_login(county.lead_liaison)
    client.post(reverse("projects:problem_action", args=[problem.pk, "close_out"]), {"note": "已通电"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED

    client.force_login(county.office)
    html = client.get(reverse("projects:problem_list") + f"?project={project.pk}").content.decode()
    assert "施工用电未接通" in html


def test_problem_list_shows_what_each_unit_owes(client, county):
    project = make_project(county)
    services.raise_problem(
        project, actor=county.office, kind="land", title="p1", units=[county.other_dept], working_days=3
    )
    client.force_login(county.leader)
    response = client.get(reverse("projects:problem_list") + f"?leader={county.leader.pk}&state=open")
    html = response.content.decode()
    assert county.other_dept.name in html and "p1" in html


def test_problem_list_query_count_does_not_grow(client, county):
    project = make_project(county)
    services.raise_problem(
        project, actor=county.office, kind="land", title="p", units=[county.other_dept], working_days=3
    )
    client.force_login(county.office)
    url = reverse("projects:problem_list")
    small = count_queries(client, url)
    for i in range(5):
        services.raise_problem(
            project,
            actor=county.office,
            kind="land",
            title=f"q{i}",
            units=[county.other_dept, county.dept],
            working_days=3,
        )
    assert count_queries(client, url) == small
