"""/api/v1/projects and /api/v1/problems: same filters, policy and services as the pages."""

import pytest

from duban.projects.choices import ProblemStatus
from duban.projects.factories import County, make_project
from duban.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County()


def test_project_list_uses_the_register_filters(client, county):
    make_project(county, name="甲项目", level="city_showcase")
    make_project(county, name="乙项目", level="ordinary")
    client.force_login(county.leader)
    body = client.get("/api/v1/projects?level=city_showcase").json()
    assert body["count"] == 1 and body["items"][0]["name"] == "甲项目"
    assert client.get("/api/v1/projects?level=bogus").status_code == 422


def test_create_project_refuses_bad_input_with_field_errors(client, county):
    client.force_login(county.office)
    payload = {
        "name": "新项目",
        "category": "industrial",
        "lead_unit": county.dept.pk,
        "location_unit": county.town.pk,
        "total_investment": "-5",
        "year_plan_investment": "1",
        "planned_start": "2026-05-01",
        "planned_completion": "2026-04-01",
    }
    response = client.post("/api/v1/projects", payload, content_type="application/json")
    assert response.status_code == 422
    assert not Project.objects.filter(name="新项目").exists()
    payload.update(total_investment="100", planned_completion="2026-11-30")
    response = client.post("/api/v1/projects", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    milestones = client.get(f"/api/v1/projects/{pk}/milestones").json()
    assert milestones[0]["kind"] == "land_approval" and milestones[0]["light"]


def test_update_by_a_reader_is_403_and_an_outsider_404(client, county):
    project = make_project(county)
    client.force_login(county.leader)
    assert (
        client.patch(
            f"/api/v1/projects/{project.pk}", {"investor": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(County().office)
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404


def test_the_problem_loop_through_the_api(client, county):
    project = make_project(county)
    client.force_login(county.lead_liaison)
    response = client.post(
        "/api/v1/problems",
        {
            "project": project.pk,
            "kind": "permits",
            "title": "施工许可未办理",
            "units": [county.other_dept.pk],
            "working_days": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    client.force_login(county.other_liaison)
    listed = client.get("/api/v1/problems?state=open").json()
    assert [p["id"] for p in listed["items"]] == [pk]
    r = client.post(f"/api/v1/problems/{pk}/answer", {"answer": "已受理"}, content_type="application/json")
    assert r.json()["status"] == ProblemStatus.ANSWERED
    r = client.post(f"/api/v1/problems/{pk}/close_out", {}, content_type="application/json")
    assert r.status_code == 403
    client.force_login(county.lead_liaison)
    r = client.post(f"/api/v1/problems/{pk}/return", {"note": "材料不全"}, content_type="application/json")
    assert r.json()["status"] == ProblemStatus.RETURNED
    assert client.post(f"/api/v1/problems/{pk}/bogus", {}, content_type="application/json").status_code == 404
