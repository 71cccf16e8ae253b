"""Land quotas: set by the office, requested for projects, ordered by the land department, approved
by a leader; never over-allocated, even with two approvals at once."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.projects.factories import County, make_project
from duban.projects.models import LandQuota, LandRequest
from duban.projects.services.land import (
    approve_land_request,
    propose_allocation,
    refuse_land_request,
    request_land,
    set_quota,
)

D = Decimal


@pytest.fixture
def county(db):
    return County()


@pytest.fixture
def quota(county):
    return set_quota(
        actor=county.office,
        county=county.region,
        year=2026,
        kind="new_construction",
        total_mu=D(100),
        land_unit=county.other_dept,
    )


def ask(county, quota, area, **kw):
    project = kw.pop("project", None) or make_project(county)
    return request_land(
        project, actor=county.lead_liaison, quota=quota, area_mu=D(area), stage="conversion", **kw
    )


@pytest.mark.django_db
def test_the_loop_from_quota_to_approval(county, quota):
    a, b = ask(county, quota, 60), ask(county, quota, 30, urgency="high")
    assert AuditEntry.objects.filter(event=AuditEvent.LAND_REQUESTED).count() == 2
    propose_allocation(quota, actor=county.other_liaison, order=[b, a])
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.priority, a.priority, a.status) == (1, 2, "proposed")
    with pytest.raises(PermissionDenied):
        approve_land_request(b, actor=county.office)
    approve_land_request(b, actor=county.leader, note="同意")
    approve_land_request(a, actor=county.leader)
    quota.refresh_from_db()
    assert quota.allocated_mu == D(90) and quota.remaining_mu == D(10)
    entry = AuditEntry.objects.filter(event=AuditEvent.LAND_REQUEST_APPROVED).latest("id")
    assert entry.changes["allocated_mu"] == ["30.00", "90.00"]


@pytest.mark.django_db
def test_an_approval_above_what_remains_is_refused_and_nothing_moves(county, quota):
    a, b = ask(county, quota, 70), ask(county, quota, 40)
    propose_allocation(quota, actor=county.office, order=[a, b])
    approve_land_request(a, actor=county.leader)
    with pytest.raises(ValidationError, match=r"剩余指标30\.00亩，不足以安排40\.00亩"):
        approve_land_request(b, actor=county.leader)
    quota.refresh_from_db()
    b.refresh_from_db()
    assert quota.allocated_mu == D(70) and b.status == "proposed"
    refuse_land_request(b, actor=county.leader, note="指标不足，明年安排")
    assert AuditEntry.objects.filter(event=AuditEvent.LAND_REQUEST_REFUSED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("area", "message"), [("0", "面积须大于0"), ("-3", "面积须大于0"), ("abc", "请填写面积")]
)
def test_bad_requests_are_refused(county, quota, area, message):
    with pytest.raises(ValidationError, match=message):
        request_land(
            make_project(county), actor=county.lead_liaison, quota=quota, area_mu=area, stage="supply"
        )
    assert not LandRequest.objects.exists()


@pytest.mark.django_db
def test_quota_rules(county, quota):
    other = County()
    with pytest.raises(ValidationError, match="本县"):
        request_land(make_project(other), actor=other.office, quota=quota, area_mu=D(1), stage="supply")
    with pytest.raises(PermissionDenied):
        set_quota(
            actor=county.leader,
            county=county.region,
            year=2026,
            kind="linkage",
            total_mu=D(5),
            land_unit=county.dept,
        )
    a = ask(county, quota, 50)
    propose_allocation(quota, actor=county.office, order=[a])
    approve_land_request(a, actor=county.leader)
    with pytest.raises(ValidationError, match=r"不能少于已安排的50\.00亩"):
        set_quota(
            actor=county.office,
            county=county.region,
            year=2026,
            kind="new_construction",
            total_mu=D(40),
            land_unit=county.other_dept,
        )
    with pytest.raises(PermissionDenied):
        propose_allocation(quota, actor=county.lead_liaison, order=[a])


@pytest.mark.django_db
def test_the_database_refuses_an_over_allocation(county, quota):
    with pytest.raises(IntegrityError), transaction.atomic():
        LandQuota.objects.filter(pk=quota.pk).update(allocated_mu=F("total_mu") + 1)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_never_over_allocate(county, quota):
    """Two leaders approve 60 mu each against 100 mu at the same moment: exactly one succeeds."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race needs two connections")
    a, b = ask(county, quota, 60), ask(county, quota, 60)
    propose_allocation(quota, actor=county.office, order=[a, b])
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve(request):
        try:
            barrier.wait()
            approve_land_request(request, actor=county.leader)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    quota.refresh_from_db()
    assert sorted(outcomes) == ["ok", "refused"] and quota.allocated_mu == D(60)


@pytest.mark.django_db
def test_the_land_page_shows_used_pending_remaining_and_each_roles_form(client, county, quota):
    from django.urls import reverse

    url = reverse("projects:land_board") + "?year=2026"
    client.force_login(county.lead_liaison)
    project = make_project(county)
    bad = client.post(
        url,
        {
            "action": "request",
            "quota": quota.pk,
            "project": project.pk,
            "area_mu": "-2",
            "stage": "supply",
            "urgency": "high",
        },
    )
    assert bad.status_code == 422 and "申请面积须大于0" in bad.content.decode()
    client.post(
        url,
        {
            "action": "request",
            "quota": quota.pk,
            "project": project.pk,
            "area_mu": "40",
            "stage": "supply",
            "urgency": "high",
        },
    )
    row = LandRequest.objects.get()

    client.force_login(county.other_liaison)  # the land department orders
    client.post(url, {"action": "propose", f"priority-{row.pk}": "1"})
    row.refresh_from_db()
    assert (row.status, row.priority) == ("proposed", 1)

    client.force_login(county.leader)
    html = client.get(url).content.decode()
    assert "批准" in html and "40.00" in html
    refuse = client.post(reverse("projects:land_decide", args=[row.pk, "refuse"]), {f"note-{row.pk}": ""})
    assert refuse.status_code == 302
    row.refresh_from_db()
    assert row.status == "proposed"
    client.post(reverse("projects:land_decide", args=[row.pk, "approve"]))
    page = client.get(url).content.decode()
    assert "60.00" in page  # remaining


@pytest.mark.django_db
def test_the_land_api(client, county, quota):
    project = make_project(county)
    client.force_login(county.lead_liaison)
    created = client.post(
        "/api/v1/land-requests",
        {"quota": quota.pk, "project": project.pk, "area_mu": "25.5", "stage": "pre_review"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    bad = client.post(
        "/api/v1/land-requests",
        {"quota": quota.pk, "project": project.pk, "area_mu": "0", "stage": "pre_review"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "面积须大于0" in bad.json()["errors"]["area_mu"][0]
    row = LandRequest.objects.get()
    propose_allocation(quota, actor=county.office, order=[row])
    client.force_login(county.leader)
    assert (
        client.post(
            f"/api/v1/land-requests/{row.pk}/approve", {}, content_type="application/json"
        ).status_code
        == 200
    )
    quotas = client.get("/api/v1/land-quotas?year=2026").json()
    assert quotas[0]["remaining_mu"] in ("74.50", 74.5) and quotas[0]["allocated_mu"] in ("25.50", 25.5)
    assert client.get(f"/api/v1/land-requests?quota={quota.pk}").json()["count"] == 1
    client.force_login(County().office)
    assert client.get("/api/v1/land-requests").json()["count"] == 0


@pytest.mark.django_db
def test_the_land_page_query_count_does_not_grow(client, county, quota):
    from django.urls import reverse

    from .test_pages import count_queries

    ask(county, quota, 5)
    client.force_login(county.leader)
    url = reverse("projects:land_board") + "?year=2026"
    small = count_queries(client, url)
    rows = [ask(county, quota, 5) for _ in range(4)]
    propose_allocation(quota, actor=county.office, order=rows)
    assert count_queries(client, url) == small
