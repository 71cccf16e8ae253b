"""Writes to the organisation tree: each one audited, checked against the caller's scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org import services
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit
from duban.org.models import Region, Unit

pytestmark = pytest.mark.django_db


def last_entry(event):
    return AuditEntry.objects.filter(event=event).order_by("-id").first()


@pytest.fixture
def county():
    return make_county("甲县")


@pytest.fixture
def admin(county):
    return make_user_with_role(Role.SYSTEM_ADMIN, region=county, unit=None)


def test_admin_creates_a_town_under_the_county_and_it_is_audited(county, admin):
    """Given a county admin, when they create a town, then the region exists with its path and an entry."""
    town = services.create_region(
        actor=admin, name=" 城关镇 ", code="100", level=RegionLevel.TOWN, parent=county
    )

    assert town.name == "城关镇"
    assert town.path == f"{county.path}100/"
    entry = last_entry(AuditEvent.REGION_CREATED)
    assert entry.target_id == str(town.pk) and entry.actor == admin
    assert entry.changes["name"] == [None, "城关镇"]


def test_a_child_must_be_below_its_parent_level(county, admin):
    with pytest.raises(ValidationError) as exc:
        services.create_region(actor=admin, name="乙县", code="200", level=RegionLevel.COUNTY, parent=county)
    assert "level" in exc.value.error_dict
    assert not Region.objects.filter(code="200").exists()


def test_only_a_town_can_be_a_subdistrict(county, admin):
    with pytest.raises(ValidationError) as exc:
        services.create_region(
            actor=admin,
            name="某村",
            code="201",
            level=RegionLevel.VILLAGE,
            parent=county,
            is_town_subdistrict=True,
        )
    assert "is_town_subdistrict" in exc.value.error_dict


def test_admin_of_another_county_cannot_add_here(county):
    other_admin = make_user_with_role(Role.SYSTEM_ADMIN, region=make_county("乙县"), unit=None)
    with pytest.raises(PermissionDenied):
        services.create_region(
            actor=other_admin, name="镇", code="300", level=RegionLevel.TOWN, parent=county
        )
    with pytest.raises(PermissionDenied):
        services.create_unit(
            actor=other_admin, name="商务局", code="SWJ", kind=UnitKind.DEPARTMENT, region=county
        )


def test_business_roles_cannot_write_the_tree(county):
    unit = make_unit("发展和改革局", region=county)
    for role in (Role.UNIT_LIAISON, Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER):
        user = make_user_with_role(role, unit=unit)
        with pytest.raises(PermissionDenied):
            services.create_unit(
                actor=user, name="新局", code=f"N{role}", kind=UnitKind.DEPARTMENT, region=county
            )
        with pytest.raises(PermissionDenied):
            services.update_unit(unit, actor=user, name="改名")
    assert Unit.objects.get(pk=unit.pk).name == "发展和改革局"


def test_control_characters_and_overlong_names_are_refused_and_nothing_is_saved(county, admin):
    before = AuditEntry.objects.count()
    for bad in ("商务\n局", "商务\x00局", "局" * 65):
        with pytest.raises(ValidationError) as exc:
            services.create_unit(actor=admin, name=bad, code="X1", kind=UnitKind.DEPARTMENT, region=county)
        assert "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.create_unit(
            actor=admin, name="商务局", code="bad code!", kind=UnitKind.DEPARTMENT, region=county
        )
    assert "code" in exc.value.error_dict
    assert not Unit.objects.filter(code="X1").exists()
    assert AuditEntry.objects.count() == before


def test_duplicate_name_in_region_has_a_chinese_message(county, admin):
    make_unit("商务局", region=county)
    with pytest.raises(ValidationError) as exc:
        services.create_unit(actor=admin, name="商务局", code="SW2", kind=UnitKind.DEPARTMENT, region=county)
    assert "同一区划内已有同名单位" in str(exc.value)


def test_leader_in_charge_must_be_a_leader_of_this_county(county, admin):
    leader = make_user_with_role(Role.COUNTY_LEADER, region=county, unit=None)
    foreign_leader = make_user_with_role(Role.COUNTY_LEADER, region=make_county("乙县"), unit=None)
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit(region=county))

    unit = services.create_unit(
        actor=admin,
        name="商务局",
        code="SW",
        kind=UnitKind.DEPARTMENT,
        region=county,
        leader_in_charge=leader,
    )
    assert unit.leader_in_charge == leader
    for wrong in (foreign_leader, liaison):
        with pytest.raises(ValidationError) as exc:
            services.update_unit(unit, actor=admin, leader_in_charge=wrong)
        assert "leader_in_charge" in exc.value.error_dict
    assert Unit.objects.get(pk=unit.pk).leader_in_charge == leader


def test_update_unit_records_the_changed_fields(county, admin):
    unit = make_unit("商务局", region=county)
    services.update_unit(unit, actor=admin, short_name="商务", sort_order=3)

    entry = last_entry(AuditEvent.UNIT_CHANGED)
    assert entry.changes == {"short_name": ["", "商务"], "sort_order": [0, 3]}


def test_moving_a_unit_outside_the_admin_scope_is_refused(county, admin):
    unit = make_unit("商务局", region=county)
    foreign = make_county("乙县")
    with pytest.raises(PermissionDenied):
        services.update_unit(unit, actor=admin, region=foreign)
    assert Unit.objects.get(pk=unit.pk).region == county


def test_deactivate_and_reactivate_a_unit_are_audited_once_each(county, admin):
    unit = make_unit("商务局", region=county)

    services.set_unit_active(unit, actor=admin, active=False, reason="机构改革")
    services.set_unit_active(unit, actor=admin, active=False)  # already inactive: no second entry

    unit.refresh_from_db()
    assert unit.is_active is False
    entries = AuditEntry.objects.filter(event=AuditEvent.UNIT_DEACTIVATED, target_id=str(unit.pk))
    assert entries.count() == 1
    assert entries.get().reason == "机构改革"
    services.set_unit_active(unit, actor=admin, active=True)
    assert last_entry(AuditEvent.UNIT_ACTIVATED).changes == {"is_active": [False, True]}


def test_update_region_renames_and_audits(county, admin):
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    services.update_region(town, actor=admin, name="城关街道", is_town_subdistrict=True)

    entry = last_entry(AuditEvent.REGION_CHANGED)
    assert entry.changes["name"] == ["城关镇", "城关街道"]
    assert entry.changes["is_town_subdistrict"] == [False, True]
