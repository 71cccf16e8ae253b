"""Who sees and changes which regions and units (rules in duban/accounts/policy/)."""

import pytest
from django.http import Http404

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit
from duban.org.models import Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    mine = make_county("甲县")
    city = mine.parent
    other = make_county("乙县")
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=mine)
    village = make_region("张庄村", level=RegionLevel.VILLAGE, parent=town)
    return {
        "city": city,
        "mine": mine,
        "other": other,
        "town": town,
        "village": village,
        "dept": make_unit("发展和改革局", region=mine),
        "town_unit": make_unit("城关镇人民政府", region=town, kind=UnitKind.TOWN),
        "foreign": make_unit("商务局", region=other),
    }


BUSINESS = [Role.COUNTY_LEADER, Role.SUPERVISION_OFFICE, Role.INSPECTOR, Role.UNIT_HEAD, Role.UNIT_LIAISON]


@pytest.mark.parametrize("role", BUSINESS)
def test_business_roles_read_their_county_and_change_nothing(tree, role):
    user = make_user_with_role(
        role, unit=tree["town_unit"], region=None if role.startswith("unit") else tree["mine"]
    )

    units = set(Unit.objects.visible_to(user))
    regions = set(Region.objects.visible_to(user))

    assert {tree["dept"], tree["town_unit"]} <= units
    assert tree["foreign"] not in units
    assert {tree["mine"], tree["town"], tree["village"]} <= regions
    assert tree["other"] not in regions and tree["city"] not in regions
    assert not policy.scope_queryset(Unit.objects.all(), user, policy.CHANGE).exists()
    assert not policy.scope_queryset(Region.objects.all(), user, policy.CHANGE).exists()
    with pytest.raises(Http404):
        policy.get_object_for_user_or_404(user, Unit, tree["foreign"].pk)
    with pytest.raises(Http404):
        policy.get_object_for_user_or_404(user, Region, tree["other"].pk)


def test_system_admin_changes_within_its_region_only(tree):
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=tree["mine"], unit=None)

    changeable = set(policy.scope_queryset(Unit.objects.all(), admin, policy.CHANGE))
    assert changeable == {tree["dept"], tree["town_unit"]}
    assert policy.can(admin, policy.CHANGE, tree["town"])
    assert not policy.can(admin, policy.CHANGE, tree["other"])
    assert not policy.can(admin, policy.VIEW, tree["foreign"])


def test_city_system_admin_reaches_every_county(tree):
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=tree["city"], unit=None)
    assert set(Unit.objects.visible_to(admin)) == {tree["dept"], tree["town_unit"], tree["foreign"]}
    assert policy.can(admin, policy.CHANGE, tree["foreign"])


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_other_admins_read_the_tree_of_their_scope_but_never_change_it(tree, role):
    admin = make_user_with_role(role, region=tree["mine"], unit=None)
    assert tree["dept"] in set(Unit.objects.visible_to(admin))
    assert tree["foreign"] not in set(Unit.objects.visible_to(admin))
    assert not policy.can(admin, policy.CHANGE, tree["dept"])
    assert not policy.can(admin, policy.CHANGE, tree["mine"])


def test_users_without_grants_see_nothing(tree):
    from duban.accounts.factories import make_user

    nobody = make_user(unit=tree["dept"])
    assert not Unit.objects.visible_to(nobody).exists()
    assert not Region.objects.visible_to(nobody).exists()
