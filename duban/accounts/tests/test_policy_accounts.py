"""The rules for accounts.User and accounts.Grant (三员分立), as docs/permissions.md states them."""

import pytest
from django.core.exceptions import PermissionDenied

from duban.accounts import policy, services
from duban.accounts.choices import Role
from duban.accounts.factories import make_user, make_user_with_role
from duban.accounts.models import Grant, User
from duban.org.factories import make_county, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home, other = make_county("甲县"), make_county("乙县")
    unit, foreign_unit = make_unit(region=home), make_unit(region=other)
    return {
        "home": home,
        "other": other,
        "unit": unit,
        "member": make_user_with_role(Role.UNIT_LIAISON, unit=unit),
        "head": make_user_with_role(Role.UNIT_HEAD, unit=unit),
        "foreigner": make_user_with_role(Role.UNIT_LIAISON, unit=foreign_unit),
        "sys": make_user_with_role(Role.SYSTEM_ADMIN, region=home),
        "sec": make_user_with_role(Role.SECURITY_ADMIN, region=home),
        "aud": make_user_with_role(Role.AUDIT_ADMIN, region=home),
        "other_sec": make_user_with_role(Role.SECURITY_ADMIN, region=other),
    }


def visible(user, action="view"):
    return set(policy.scope_queryset(User.objects.all(), user, action))


def test_system_admin_sees_and_changes_accounts_in_scope_but_not_other_admins(world):
    sys = world["sys"]
    assert {world["member"], world["head"]} <= visible(sys)
    assert world["foreigner"] not in visible(sys)
    changeable = visible(sys, "change")
    assert world["member"] in changeable
    assert not {world["sec"], world["aud"], world["other_sec"], sys} & changeable
    with pytest.raises(PermissionDenied):
        services.update_user(world["aud"], actor=sys, real_name="改名")


def test_security_admin_reads_accounts_but_changes_none(world):
    sec = world["sec"]
    assert world["member"] in visible(sec)
    assert visible(sec, "change") == set()
    with pytest.raises(PermissionDenied):
        services.update_user(world["member"], actor=sec, real_name="改名")


def test_unit_head_sees_own_unit_and_liaison_only_self(world):
    assert visible(world["head"]) == {world["head"], world["member"]}
    assert visible(world["member"]) == {world["member"]}
    assert visible(world["aud"]) == {world["aud"]}


def test_grants_are_the_security_admins_within_scope(world):
    sec, other_sec = world["sec"], world["other_sec"]
    grants = set(policy.scope_queryset(Grant.objects.all(), sec, "change"))
    assert world["member"].grants.get() in grants
    assert world["foreigner"].grants.get() not in grants
    # Another county's administrator (outside the unit tree) is out of reach too.
    assert other_sec.grants.get() not in grants
    with pytest.raises(PermissionDenied):
        services.revoke_grant(other_sec.grants.get(), actor=sec, reason="越权")
    assert set(policy.scope_queryset(Grant.objects.all(), world["sys"], "view")) == set(
        world["sys"].grants.all()
    )


def test_everyone_sees_their_own_grants_only(world):
    member = world["member"]
    assert set(policy.scope_queryset(Grant.objects.all(), member, "view")) == set(member.grants.all())
    assert not policy.scope_queryset(Grant.objects.all(), member, "change").exists()


def test_a_user_without_a_unit_and_without_admin_role_can_be_changed_by_the_system_admin(world):
    loose = make_user()
    assert loose in visible(world["sys"], "change")
