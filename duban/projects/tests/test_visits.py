"""Site visits (现场督导): visitors, decisions into problems, photos with EXIF, stewards' days on site."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from duban.attachments import factories as af
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects import services
from duban.projects.factories import County, make_project
from duban.projects.models import SiteVisit, Stewardship
from duban.projects.services.visits import convert_decision, record_site_visit
from duban.projects.visits import with_days_on_site

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county():
    return County()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def project(county):
    project = make_project(county)
    services.assign_steward(
        project, actor=county.office, user=county.lead_liaison, start_date=D(2026, 3, 1), full_time=True
    )
    return project


def visit(project, actor, day, visitors, **kw):
    return record_site_visit(
        project, actor=actor, date=day, notes=kw.pop("notes", "基础施工中"), visitors=visitors, **kw
    )


def test_a_leader_records_a_visit_with_stewards_and_decisions(county, project):
    v = visit(
        project,
        county.leader,
        D(2026, 5, 12),
        [county.lead_liaison, county.office],
        leader=county.leader,
        decisions=["自然资源局一周内完成用地报批", " ", "供电公司月底前接通临时用电"],
    )
    assert set(v.visitors.values_list("username", flat=True)) == {
        county.leader.username,
        county.lead_liaison.username,
        county.office.username,
    }
    assert list(v.decisions.values_list("text", flat=True)) == [
        "自然资源局一周内完成用地报批",
        "供电公司月底前接通临时用电",
    ]
    entry = AuditEntry.objects.get(event=AuditEvent.SITE_VISIT_RECORDED)
    assert entry.target_id == str(v.pk) and "供电公司" in entry.changes["decisions"][1]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"date": "future"}, "date", "督导日期不能晚于今天"),
        ({"notes": "  "}, "notes", "请填写现场情况"),
        ({"visitors": []}, "visitors", "请选择督导人员"),
        ({"visitors": "outsider"}, "visitors", "不是本县(区)的在岗人员"),
    ],
)
def test_bad_visits_are_refused_and_nothing_saved(county, project, kwargs, field, message):
    values = {"date": D(2026, 5, 12), "notes": "现场", "visitors": [county.lead_liaison]}
    values.update(kwargs)
    if values["date"] == "future":
        values["date"] = timezone.localdate() + datetime.timedelta(days=1)
    if values["visitors"] == "outsider":
        values["visitors"] = [County().office]
    with pytest.raises(ValidationError) as exc:
        record_site_visit(project, actor=county.office, **values)
    assert message in str(exc.value.message_dict[field])
    assert not SiteVisit.objects.exists()


def test_another_county_cannot_record_a_visit(county, project):
    other = County()
    with pytest.raises(PermissionDenied):
        visit(project, other.office, D(2026, 5, 12), [other.office])


def test_a_decision_becomes_a_problem_assigned_to_a_unit_once(county, project):
    v = visit(project, county.office, D(2026, 5, 12), [county.office], decisions=["尽快完成用地报批"])
    decision = v.decisions.get()
    problem = convert_decision(
        decision, actor=county.office, kind="land", units=[county.other_dept], working_days=5
    )
    assert problem.status == "assigned" and problem.title == "尽快完成用地报批"
    assert AuditEntry.objects.filter(
        event=AuditEvent.SITE_VISIT_DECISION_CONVERTED, target_id=str(problem.pk)
    ).exists()
    with pytest.raises(ValidationError, match="已转为问题"):
        convert_decision(decision, actor=county.office, kind="land")


def test_days_on_site_count_distinct_dates_within_the_stewardship(county, project):
    steward = county.lead_liaison
    visit(project, county.office, D(2026, 2, 20), [steward])  # before the stewardship started
    visit(project, county.office, D(2026, 4, 1), [steward])
    visit(project, county.leader, D(2026, 4, 1), [steward, county.leader])  # same day: one day
    visit(project, county.office, D(2026, 4, 2), [steward])
    visit(project, county.office, D(2026, 4, 3), [county.office])  # steward not there
    row = with_days_on_site(Stewardship.objects.filter(project=project)).get()
    assert row.days_on_site == 2
    services.end_stewardship(Stewardship.objects.get(), actor=county.office, end_date=D(2026, 4, 1))
    assert with_days_on_site(Stewardship.objects.filter(project=project)).get().days_on_site == 1


def test_the_visit_pages_record_convert_and_show_days_on_site(client, county, project):
    client.force_login(county.lead_liaison)
    response = client.post(
        reverse("projects:visit_create", args=[project.pk]),
        {
            "date": "2026-05-12",
            "visitors": [county.lead_liaison.pk],
            "notes": "主体施工",
            "decisions": "协调电力\n协调用工",
        },
    )
    v = SiteVisit.objects.get()
    assert response.url == reverse("projects:visit_detail", args=[v.pk])
    bad = client.post(
        reverse("projects:visit_create", args=[project.pk]), {"date": "2026-05-12", "notes": ""}
    )
    assert bad.status_code == 422 and SiteVisit.objects.count() == 1
    page = client.get(reverse("projects:visit_detail", args=[v.pk])).content.decode()
    assert "协调电力" in page and "转为问题" in page
    decision = v.decisions.first()
    response = client.post(
        reverse("projects:decision_convert", args=[decision.pk]),
        {
            f"d{decision.pk}-kind": "utilities",
            f"d{decision.pk}-units": [county.other_dept.pk],
            f"d{decision.pk}-working_days": 3,
        },
    )
    decision.refresh_from_db()
    assert decision.problem_id and response.url == reverse(
        "projects:problem_detail", args=[decision.problem_id]
    )
    detail = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "在岗1天" in detail and "现场督导" in detail
    assert "1" in client.get(reverse("projects:steward_list")).content.decode()


def test_a_site_photo_keeps_its_gps_and_time(client, county, project):
    v = visit(project, county.office, D(2026, 5, 12), [county.lead_liaison])
    client.force_login(county.lead_liaison)
    upload = af.upload("现场.jpg", af.image_bytes("JPEG", gps=True), "image/jpeg")
    url = reverse("attachments:upload", args=["projects.sitevisit", v.pk])
    assert client.post(url, {"kind": "photo", "uploads": [upload]}).status_code in (200, 302)
    response = client.get(f"/api/v1/site-visits/{v.pk}")
    photo = response.json()["photos"][0]
    assert Decimal(photo["gps_latitude"]) == Decimal("36.6626528")
    assert photo["taken_at"].startswith("2026-05-12")


def test_the_api_lists_creates_and_refuses(client, county, project):
    client.force_login(county.office)
    response = client.post(
        "/api/v1/site-visits",
        {
            "project": project.pk,
            "date": "2026-05-12",
            "notes": "现场",
            "visitors": [county.lead_liaison.pk],
            "leader": county.leader.pk,
            "decisions": ["a"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["leader_id"] == county.leader.pk and len(body["visitors"]) == 2
    bad = client.post(
        "/api/v1/site-visits",
        {"project": project.pk, "date": "2026-05-12", "notes": "", "visitors": [county.lead_liaison.pk]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "请填写现场情况" in bad.json()["errors"]["notes"][0]
    listed = client.get(f"/api/v1/site-visits?project={project.pk}").json()
    assert listed["count"] == 1
    client.force_login(County().office)
    assert client.get(f"/api/v1/site-visits/{body['id']}").status_code == 404
    assert client.get("/api/v1/site-visits").json()["count"] == 0


def test_visit_pages_do_not_grow_in_queries(client, county, project):
    visit(project, county.office, D(2026, 4, 1), [county.lead_liaison], decisions=["x"])
    client.force_login(county.office)
    urls = [
        reverse("projects:visit_list"),
        reverse("projects:steward_list"),
        reverse("projects:project_detail", args=[project.pk]),
        "/api/v1/site-visits",
    ]
    small = [count_queries(client, u) for u in urls]
    for i in range(4):
        visit(
            project,
            county.office,
            D(2026, 4, 2 + i),
            [county.lead_liaison, county.office],
            decisions=["y", "z"],
        )
        services.assign_steward(
            project,
            actor=county.office,
            unit=[county.town, county.other_dept, county.dept][i % 3],
            start_date=D(2026, 1, 1),
        ) if i < 3 else None
    assert [count_queries(client, u) for u in urls] == small
