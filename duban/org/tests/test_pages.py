"""The unit directory and the system admin's region and unit pages, over HTTP."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user, make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit
from duban.org.models import Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county("甲县")


@pytest.fixture
def dept(county):
    return make_unit("发展和改革局", region=county)


@pytest.fixture
def liaison(dept):
    return make_user_with_role(Role.UNIT_LIAISON, unit=dept)


@pytest.fixture
def admin(county):
    return make_user_with_role(Role.SYSTEM_ADMIN, region=county, unit=None)


def login(client, user):
    client.force_login(user)
    return client


def test_liaison_sees_its_county_directory_grouped_by_kind(client, county, dept, liaison):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    make_unit("城关镇人民政府", region=town, kind=UnitKind.TOWN)
    make_unit("外县商务局", region=make_county("乙县"))

    body = login(client, liaison).get(reverse("org:unit_list")).content.decode()

    assert "发展和改革局" in body and "城关镇人民政府" in body
    assert "外县商务局" not in body
    assert body.index("部门") < body.index("镇街")  # groups in directory order
    assert "新建单位" not in body  # not an administrator


def test_directory_filters_by_kind_region_and_search(client, county, dept, liaison):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    make_unit("城关镇人民政府", region=town, kind=UnitKind.TOWN)
    make_unit("商务局", region=county)
    c = login(client, liaison)

    def results(params):  # the results partial only: the header names the liaison's own unit
        return c.get(reverse("org:unit_list"), params, headers={"HX-Request": "true"}).content.decode()

    by_kind = results({"kind": "town"})
    by_region = results({"region": town.pk})
    by_search = results({"q": "商务"})

    assert "城关镇人民政府" in by_kind and "商务局" not in by_kind
    assert "城关镇人民政府" in by_region and "发展和改革局" not in by_region
    assert "商务局" in by_search and "发展和改革局" not in by_search


def test_foreign_region_filter_is_an_error_not_a_leak(client, liaison):
    other = make_county("乙县")
    make_unit("外县商务局", region=other)
    response = login(client, liaison).get(reverse("org:unit_list"), {"region": other.pk})
    assert response.status_code == 200
    assert "外县商务局" not in response.content.decode()


def test_sorted_directory_is_a_flat_table_and_htmx_gets_the_partial(client, dept, liaison):
    c = login(client, liaison)
    response = c.get(reverse("org:unit_list"), {"ordering": "-name"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="unit-results">')
    assert "group-row" not in body and "<html" not in body


def test_deactivated_units_leave_the_directory_unless_asked(client, county, dept, liaison, admin):
    from duban.org.services import set_unit_active

    gone = make_unit("撤并局", region=county)
    set_unit_active(gone, actor=admin, active=False)
    c = login(client, liaison)
    assert "撤并局" not in c.get(reverse("org:unit_list")).content.decode()
    assert "撤并局" in c.get(reverse("org:unit_list"), {"status": "inactive"}).content.decode()


def test_unit_page_shows_leader_and_members_with_masked_phones(client, county, dept, liaison):
    leader = make_user_with_role(Role.COUNTY_LEADER, region=county, unit=None)
    leader.real_name, leader.title = "王建国", "副县长"
    leader.save()
    dept.leader_in_charge = leader
    dept.save()
    member = make_user(unit=dept)
    member.real_name, member.title, member.phone = "李小红", "科员", "13912345678"
    member.save()

    body = login(client, liaison).get(reverse("org:unit_detail", args=[dept.pk])).content.decode()

    assert "王建国" in body and "副县长" in body
    assert "李小红" in body and "科员" in body
    assert "139****5678" in body and "13912345678" not in body
    assert reverse("org:unit_edit", args=[dept.pk]) not in body


def test_another_countys_unit_is_404(client, liaison):
    foreign = make_unit("外县商务局", region=make_county("乙县"))
    c = login(client, liaison)
    assert c.get(reverse("org:unit_detail", args=[foreign.pk])).status_code == 404
    assert c.get(reverse("org:unit_edit", args=[foreign.pk])).status_code == 404
    assert c.post(reverse("org:unit_set_active", args=[foreign.pk]), {"active": "0"}).status_code == 404


def test_business_users_are_refused_the_admin_pages(client, county, dept, liaison):
    c = login(client, liaison)
    assert c.get(reverse("org:unit_create")).status_code == 403
    assert c.get(reverse("org:unit_edit", args=[dept.pk])).status_code == 403
    assert c.post(reverse("org:unit_set_active", args=[dept.pk]), {"active": "0"}).status_code == 403
    assert c.get(reverse("org:region_list")).status_code == 403
    assert c.get(reverse("org:region_create", args=[county.pk])).status_code == 403
    assert Unit.objects.get(pk=dept.pk).is_active


def test_anonymous_is_sent_to_login(client, dept):
    response = client.get(reverse("org:unit_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_admin_creates_edits_and_deactivates_a_unit(client, county, admin):
    leader = make_user_with_role(Role.COUNTY_LEADER, region=county, unit=None)
    c = login(client, admin)
    assert c.get(reverse("org:unit_create")).status_code == 200

    response = c.post(
        reverse("org:unit_create"),
        {
            "name": "统计局",
            "short_name": "统计",
            "code": "TJJ",
            "kind": "department",
            "region": county.pk,
            "leader_in_charge": leader.pk,
            "sort_order": 5,
        },
    )
    unit = Unit.objects.get(code="TJJ")
    assert response.status_code == 302 and unit.leader_in_charge == leader

    response = c.post(
        reverse("org:unit_edit", args=[unit.pk]),
        {
            "name": "统计局",
            "short_name": "县统计局",
            "kind": "department",
            "region": county.pk,
            "sort_order": 5,
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.short_name == "县统计局" and unit.leader_in_charge is None and unit.code == "TJJ"

    c.post(reverse("org:unit_set_active", args=[unit.pk]), {"active": "0"})
    unit.refresh_from_db()
    assert unit.is_active is False
    assert AuditEntry.objects.filter(target_id=str(unit.pk), target_type="org.Unit").count() == 3


def test_unit_form_shows_chinese_errors_and_saves_nothing(client, county, admin):
    other = make_county("乙县")
    c = login(client, admin)
    response = c.post(
        reverse("org:unit_create"),
        {"name": "统计\n局", "code": "T J", "kind": "nonsense", "region": other.pk, "sort_order": 0},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "不能包含控制字符" in body
    assert "选择一个有效的选项" in body  # kind and the foreign region are not choices
    assert not Unit.objects.filter(code="T J").exists()


def test_admin_region_tree_create_child_and_edit(client, county, admin):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    c = login(client, admin)

    body = c.get(reverse("org:region_list")).content.decode()
    assert "甲县" in body and "城关镇" in body

    form_page = c.get(reverse("org:region_create", args=[town.pk])).content.decode()
    assert 'value="village"' in form_page and 'value="county"' not in form_page
    response = c.post(
        reverse("org:region_create", args=[town.pk]),
        {"name": "张庄村", "code": "101", "level": "village", "sort_order": 0},
    )
    assert response.status_code == 302
    village = Region.objects.get(name="张庄村")
    assert village.parent == town and village.path == f"{town.path}101/"

    c.post(reverse("org:region_edit", args=[village.pk]), {"name": "张家庄村", "sort_order": 2})
    village.refresh_from_db()
    assert village.name == "张家庄村"
    assert AuditEntry.objects.filter(event=AuditEvent.REGION_CHANGED, target_id=str(village.pk)).exists()


def test_admin_cannot_touch_a_region_outside_its_scope(client, admin):
    other = make_county("乙县")
    c = login(client, admin)
    assert c.get(reverse("org:region_edit", args=[other.pk])).status_code == 404
    assert (
        c.post(
            reverse("org:region_create", args=[other.pk]), {"name": "x", "code": "9", "level": "town"}
        ).status_code
        == 404
    )
    assert "乙县" not in c.get(reverse("org:region_list")).content.decode()


def test_duplicate_child_name_is_shown_on_the_form(client, county, admin):
    make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    response = login(client, admin).post(
        reverse("org:region_create", args=[county.pk]),
        {"name": "城关镇", "code": "777", "level": "town", "sort_order": 0},
    )
    assert response.status_code == 200
    assert "同一上级区划下已有同名区划" in response.content.decode()


# --- query counts: the number of queries must not grow with the rows ------------------------


def _fill(county, n):
    town = make_region(f"镇{n}", level=RegionLevel.TOWN, parent=county)
    leader = make_user_with_role(Role.COUNTY_LEADER, region=county, unit=None)
    units = []
    for i in range(n):
        unit = make_unit(
            f"单位{n}-{i}",
            region=town if i % 2 else county,
            kind=UnitKind.TOWN if i % 2 else UnitKind.DEPARTMENT,
        )
        unit.leader_in_charge = leader
        unit.save()
        make_user(unit=unit)
        make_region(f"村{n}-{i}", level=RegionLevel.VILLAGE, parent=town)
        units.append(unit)
    return units


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "params", "who"),
    [
        ("org:unit_list", {}, "liaison"),
        ("org:unit_list", {"ordering": "name", "kind": "department"}, "liaison"),
        ("org:unit_list", {}, "admin"),
        ("org:region_list", {}, "admin"),
    ],
)
def test_list_query_count_does_not_grow(client, county, liaison, admin, url_name, params, who):
    c = login(client, liaison if who == "liaison" else admin)
    _fill(county, 2)
    small = _count(c, reverse(url_name), params)
    _fill(county, 25)
    large = _count(c, reverse(url_name), params)
    assert small == large


def test_unit_detail_query_count_does_not_grow(client, county, dept, liaison):
    c = login(client, liaison)
    make_user(unit=dept)
    small = _count(c, reverse("org:unit_detail", args=[dept.pk]))
    for _ in range(20):
        make_user(unit=dept)
    large = _count(c, reverse("org:unit_detail", args=[dept.pk]))
    assert small == large
