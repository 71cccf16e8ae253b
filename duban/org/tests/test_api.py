"""/api/v1/regions and /api/v1/units: the pages' policy and filters, JSON errors, nothing saved on bad input."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accounts.choices import Role
from duban.accounts.factories import make_user, make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit
from duban.org.models import Region, Unit

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def county():
    return make_county("甲县")


@pytest.fixture
def other():
    return make_county("乙县")


@pytest.fixture
def dept(county):
    return make_unit("发展和改革局", region=county)


@pytest.fixture
def foreign(other):
    return make_unit("外县商务局", region=other)


@pytest.fixture
def liaison(dept):
    return make_user_with_role(Role.UNIT_LIAISON, unit=dept)


@pytest.fixture
def admin(county):
    return make_user_with_role(Role.SYSTEM_ADMIN, region=county, unit=None)


def as_user(client, user):
    client.force_login(user)
    return client


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_list_units_is_scoped_paged_and_filtered(client, county, dept, foreign, liaison):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    make_unit("城关镇人民政府", region=town, kind=UnitKind.TOWN)
    c = as_user(client, liaison)

    everything = c.get(f"{API}/units").json()
    towns = c.get(f"{API}/units", {"kind": "town"}).json()
    paged = c.get(f"{API}/units", {"page": 2, "page_size": 1}).json()

    assert everything["count"] == 2
    assert {u["name"] for u in everything["items"]} == {"发展和改革局", "城关镇人民政府"}
    assert [u["name"] for u in towns["items"]] == ["城关镇人民政府"]
    assert paged["count"] == 2 and len(paged["items"]) == 1
    item = everything["items"][0]
    assert set(item) >= {
        "id",
        "name",
        "kind",
        "region_id",
        "region_name",
        "leader_in_charge_name",
        "member_count",
    }


def test_bad_filters_and_paging_are_422_in_chinese(client, dept, liaison, other):
    c = as_user(client, liaison)
    for params, field in [
        ({"kind": "nonsense"}, "kind"),
        ({"region": other.pk}, "region"),
        ({"page": "abc"}, "page"),
        ({"page_size": 1000}, "page_size"),
        ({"q": "a\x01b"}, "q"),
    ]:
        response = c.get(f"{API}/units", params)
        assert response.status_code == 422, params
        body = response.json()
        assert field in body["errors"] and body["detail"] == "提交的数据有误"


def test_unit_and_region_detail_answer_404_outside_the_scope(client, county, dept, foreign, other, liaison):
    c = as_user(client, liaison)
    assert c.get(f"{API}/units/{dept.pk}").json()["name"] == "发展和改革局"
    assert c.get(f"{API}/regions/{county.pk}").json()["name"] == "甲县"
    for url in (f"{API}/units/{foreign.pk}", f"{API}/regions/{other.pk}", f"{API}/units/999999"):
        response = c.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到", "errors": {}}


def test_list_regions_in_tree_order_with_filters(client, county, admin):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    make_region("张庄村", level=RegionLevel.VILLAGE, parent=town)
    c = as_user(client, admin)

    names = [r["name"] for r in c.get(f"{API}/regions").json()["items"]]
    villages = c.get(f"{API}/regions", {"level": "village"}).json()

    assert names == ["甲县", "城关镇", "张庄村"]
    assert villages["count"] == 1 and villages["items"][0]["parent_id"] == town.pk


def test_admin_creates_a_unit_and_it_is_audited(client, county, admin):
    leader = make_user_with_role(Role.COUNTY_LEADER, region=county, unit=None)
    response = send(
        as_user(client, admin),
        "post",
        f"{API}/units",
        {
            "name": "统计局",
            "code": "TJJ",
            "kind": "department",
            "region": county.pk,
            "leader_in_charge": leader.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["name"] == "统计局"
        and body["region_id"] == county.pk
        and body["leader_in_charge_id"] == leader.pk
    )
    assert AuditEntry.objects.filter(event=AuditEvent.UNIT_CREATED, target_id=str(body["id"])).exists()


def test_foreign_region_or_leader_in_the_body_is_404_and_nothing_saved(client, county, other, foreign, admin):
    foreign_leader = make_user_with_role(Role.COUNTY_LEADER, region=other, unit=foreign)
    c = as_user(client, admin)
    r1 = send(
        c, "post", f"{API}/units", {"name": "统计局", "code": "T1", "kind": "department", "region": other.pk}
    )
    r2 = send(
        c,
        "post",
        f"{API}/units",
        {
            "name": "统计局",
            "code": "T2",
            "kind": "department",
            "region": county.pk,
            "leader_in_charge": foreign_leader.pk,
        },
    )
    r3 = send(c, "post", f"{API}/regions", {"name": "某镇", "code": "9", "level": "town", "parent": other.pk})
    assert (r1.status_code, r2.status_code, r3.status_code) == (404, 404, 404)
    assert not Unit.objects.filter(code__in=["T1", "T2"]).exists()
    assert not Region.objects.filter(name="某镇").exists()


def test_bad_bodies_are_422_with_field_errors_in_chinese(client, county, admin):
    c = as_user(client, admin)
    cases = [
        (
            {"name": "统计\n局", "code": "A1", "kind": "department", "region": county.pk},
            "name",
            "不能包含控制字符",
        ),
        ({"name": "局" * 65, "code": "A2", "kind": "department", "region": county.pk}, "name", "64"),
        ({"name": "统计局", "code": "A3", "kind": "bogus", "region": county.pk}, "kind", "不是有效选项"),
        ({"name": "", "code": "A4", "kind": "department", "region": county.pk}, "name", "不能为空"),
        ({"name": "统计局", "code": "A5", "kind": "department"}, "region", "请选择所在区划"),
        (
            {"name": "统计局", "code": "A6", "kind": "department", "region": county.pk, "sort_order": -1},
            "sort_order",
            "0",
        ),
    ]
    before = AuditEntry.objects.count()
    for body, field, text in cases:
        response = send(c, "post", f"{API}/units", body)
        assert response.status_code == 422, (body, response.content)
        errors = response.json()["errors"]
        assert field in errors and any(text in m for m in errors[field]), errors
    assert not Unit.objects.filter(code__startswith="A").exists()
    assert AuditEntry.objects.count() == before


def test_a_visible_user_who_is_no_leader_here_is_422(client, county, other, admin):
    """A leader without a unit is visible to administrators, yet not a leader of this county."""
    unitless = make_user_with_role(Role.COUNTY_LEADER, region=other, unit=None)
    body = {
        "name": "统计局",
        "code": "L1",
        "kind": "department",
        "region": county.pk,
        "leader_in_charge": unitless.pk,
    }
    response = send(as_user(client, admin), "post", f"{API}/units", body)
    assert response.status_code == 422 and "leader_in_charge" in response.json()["errors"]
    assert not Unit.objects.filter(code="L1").exists()


def test_unknown_ids_in_the_body_are_404(client, county, admin):
    c = as_user(client, admin)
    for region in (999999, 10**15):
        response = send(
            c,
            "post",
            f"{API}/units",
            {"name": "统计局", "code": "Z1", "kind": "department", "region": region},
        )
        assert response.status_code == 404


def test_business_users_get_403_on_visible_objects_and_404_on_foreign(client, county, dept, foreign, liaison):
    c = as_user(client, liaison)
    assert (
        send(
            c, "post", f"{API}/units", {"name": "x", "code": "X", "kind": "department", "region": county.pk}
        ).status_code
        == 403
    )
    assert send(c, "patch", f"{API}/units/{dept.pk}", {"name": "改名"}).status_code == 403
    assert send(c, "patch", f"{API}/units/{foreign.pk}", {"name": "改名"}).status_code == 404
    assert (
        send(
            c, "post", f"{API}/regions", {"name": "x", "code": "1", "level": "town", "parent": county.pk}
        ).status_code
        == 403
    )
    assert send(c, "patch", f"{API}/regions/{county.pk}", {"name": "x"}).status_code == 403
    assert Unit.objects.get(pk=dept.pk).name == "发展和改革局"


def test_admin_patches_a_unit_moves_it_and_deactivates_it_atomically(client, county, other, admin, dept):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    c = as_user(client, admin)

    ok = send(
        c, "patch", f"{API}/units/{dept.pk}", {"short_name": "发改局", "region": town.pk, "is_active": False}
    )
    assert ok.status_code == 200, ok.content
    dept.refresh_from_db()
    assert (dept.short_name, dept.region, dept.is_active) == ("发改局", town, False)
    assert AuditEntry.objects.filter(event=AuditEvent.UNIT_DEACTIVATED, target_id=str(dept.pk)).exists()

    # A bad field in the same request undoes the reactivation: all or nothing.
    bad = send(c, "patch", f"{API}/units/{dept.pk}", {"is_active": True, "name": "a\x07b"})
    assert bad.status_code == 422
    dept.refresh_from_db()
    assert dept.is_active is False

    moved_out = send(c, "patch", f"{API}/units/{dept.pk}", {"region": other.pk})
    assert moved_out.status_code == 404
    assert Unit.objects.get(pk=dept.pk).region == town


def test_admin_creates_and_renames_a_region(client, county, admin):
    c = as_user(client, admin)
    created = send(
        c, "post", f"{API}/regions", {"name": "城关镇", "code": "100", "level": "town", "parent": county.pk}
    )
    assert created.status_code == 201, created.content
    region_id = created.json()["id"]
    assert created.json()["path"] == f"{county.path}100/"

    renamed = send(
        c, "patch", f"{API}/regions/{region_id}", {"name": "城关街道", "is_town_subdistrict": True}
    )
    assert renamed.json()["name"] == "城关街道" and renamed.json()["is_town_subdistrict"] is True
    dup = send(
        c, "post", f"{API}/regions", {"name": "城关街道", "code": "101", "level": "town", "parent": county.pk}
    )
    assert dup.status_code == 422 and "同一上级区划下已有同名区划" in json.dumps(
        dup.json(), ensure_ascii=False
    )


def test_anonymous_gets_401(client, dept):
    assert client.get(f"{API}/units").status_code == 401


@pytest.mark.parametrize("path", ["units", "regions"])
def test_api_list_query_count_does_not_grow(client, county, admin, path):
    c = as_user(client, admin)

    def fill(n):
        town = make_region(f"镇{n}", level=RegionLevel.TOWN, parent=county)
        for i in range(n):
            unit = make_unit(f"单位{n}-{i}", region=town)
            make_user(unit=unit)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"{API}/{path}", {"page_size": 200}).status_code == 200
        return len(ctx.captured_queries)

    fill(2)
    small = count()
    fill(25)
    assert count() == small
