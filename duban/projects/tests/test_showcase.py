"""The showcase tour: readiness, gaps into problems, rehearsal scores by the city's rule, the board."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects import services, showcase
from duban.projects.factories import County, make_project, make_showcase

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County()


def assess_all(county, tour, project, results):
    for criterion, result in zip(tour.criteria.all(), results, strict=True):
        services.assess_readiness(criterion, project, actor=county.office, result=result, evidence="现场查看")


def test_readiness_is_the_weighted_share_of_criteria_met(county):
    """Given weights 10/30/30/15/15, met, met, partly, not met, unassessed → (10+30+15)/100 = 55%."""
    tour = make_showcase(county)
    project = make_project(county)
    criteria = list(tour.criteria.all())
    for c, r in zip(criteria[:4], ["met", "met", "partly", "not_met"], strict=True):
        services.assess_readiness(c, project, actor=county.lead_liaison, result=r)
    [card] = showcase.board(county.leader, tour)
    assert card.readiness == Decimal("55.0") and card.light == "red"
    assert "投产达效（部分达到）" in card.missing and "税收贡献（未评估）" in card.missing
    assert AuditEntry.objects.filter(event=AuditEvent.SHOWCASE_ASSESSED).count() == 4


def test_only_city_showcase_projects_of_the_county_take_part(county):
    tour = make_showcase(county)
    ordinary = make_project(county, level="ordinary")
    with pytest.raises(ValidationError):
        services.assess_readiness(tour.criteria.first(), ordinary, actor=county.office, result="met")


def test_a_gap_becomes_a_problem_assigned_to_its_unit(county):
    tour = make_showcase(county)
    project = make_project(county)
    gap = services.add_gap(
        tour,
        project,
        actor=county.lead_liaison,
        what="外立面未完成",
        owner_unit=county.other_dept,
        due_date=datetime.date(2026, 12, 5),
    )
    problem = services.convert_gap(gap, actor=county.office)
    assert problem.status == "assigned" and problem.due_date == datetime.date(2026, 12, 5)
    assert list(problem.assignments.values_list("unit", flat=True)) == [county.other_dept.pk]
    with pytest.raises(ValidationError):
        services.convert_gap(gap, actor=county.office)
    with pytest.raises(ValidationError) as exc:
        services.add_gap(
            tour,
            project,
            actor=county.office,
            what="x",
            owner_unit=county.dept,
            due_date=datetime.date(2026, 12, 20),
        )
    assert "不能晚于观摩日期" in exc.value.message_dict["due_date"][0]


def test_rehearsal_ranks_convert_to_points_by_the_citys_rule(county):
    """Averages 92, 88, 88, 80 → ranks 1, 2, 2, 4 → points 100, 97, 97, 91; county mean 96.25."""
    tour = make_showcase(county)
    projects = [make_project(county, name=f"项目{i}") for i in range(4)]
    second = County().inspector  # another county's inspector may not score
    for project, score in zip(projects, ["92", "88", "88", "80"], strict=True):
        services.score_rehearsal(tour, project, actor=county.inspector, score=Decimal(score))
    with pytest.raises(PermissionDenied):
        services.score_rehearsal(tour, projects[0], actor=second, score=Decimal(50))
    with pytest.raises(PermissionDenied):
        services.score_rehearsal(tour, projects[0], actor=county.office, score=Decimal(50))
    with pytest.raises(ValidationError):
        services.score_rehearsal(tour, projects[0], actor=county.inspector, score=Decimal(101))
    rows, mean = showcase.rehearsal_result(county.leader, tour)
    assert [(r.rank, r.points) for r in rows] == [(1, 100), (2, 97), (2, 97), (4, 91)]
    assert mean == Decimal("96.25")


def test_countdown_in_days_and_working_days(county):
    tour = make_showcase(county, date=datetime.date(2026, 12, 11))
    assert showcase.countdown(tour, datetime.date(2026, 11, 27)) == {"days": 14, "working_days": 10}


def test_board_query_count_does_not_grow(client, county):
    tour = make_showcase(county)
    project = make_project(county)
    assess_all(county, tour, project, ["met", "partly", "not_met", "met", "met"])
    client.force_login(county.leader)
    url = reverse("projects:showcase_board", args=[tour.pk])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(5):
        p = make_project(county)
        assess_all(county, tour, p, ["met", "met", "not_met", "partly", "met"])
        services.add_gap(
            tour,
            p,
            actor=county.office,
            what=f"差距{i}",
            owner_unit=county.dept,
            due_date=datetime.date(2026, 12, 1),
        )
    assert count() == small


def test_the_board_names_what_is_missing(client, county):
    tour = make_showcase(county)
    project = make_project(county, name="新材料产业园")
    assess_all(county, tour, project, ["met", "not_met", "not_met", "met", "met"])
    services.add_gap(
        tour,
        project,
        actor=county.office,
        what="厂房主体未封顶",
        owner_unit=county.dept,
        due_date=datetime.date(2026, 12, 1),
    )
    client.force_login(county.leader)
    html = client.get(reverse("projects:showcase_board", args=[tour.pk])).content.decode()
    assert "新材料产业园" in html and "对照观摩要求还有明显差距" in html
    assert "形象进度" in html and "厂房主体未封顶" in html
    rehearsal = client.get(reverse("projects:showcase_rehearsal", args=[tour.pk]))
    assert rehearsal.status_code == 200
    page = client.get(reverse("projects:showcase_assess", args=[tour.pk, project.pk]))
    assert page.status_code == 200


def test_showcase_api_gives_readiness_per_project(client, county):
    tour = make_showcase(county)
    project = make_project(county, name="甲")
    assess_all(county, tour, project, ["met", "met", "met", "met", "not_met"])
    client.force_login(county.leader)
    body = client.get(f"/api/v1/showcases/{tour.pk}").json()
    assert body["readiness"][0] == {
        "project_id": project.pk,
        "project_name": "甲",
        "readiness": "85.0",
        "light": "yellow",
        "verdict": "基本达到，仍有差距",
        "missing": ["税收贡献"],
        "open_gaps": 0,
    }
    client.force_login(County().leader)
    assert client.get(f"/api/v1/showcases/{tour.pk}").status_code == 404
