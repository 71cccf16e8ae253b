"""The policy decides who sees which units, users and grants; forbidden reads are 404."""

import pytest
from django.http import Http404

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.choices import RegionLevel, UnitKind
from duban.org.factories import make_county, make_region, make_unit
from duban.org.models import Unit

pytestmark = pytest.mark.django_db


def test_liaison_reads_the_directory_of_its_own_county_only():
    county = make_county("甲县")
    other = make_county("乙县")
    town = make_region("城关镇", level=RegionLevel.TOWN, parent=county)
    mine = make_unit("城关镇人民政府", region=town, kind=UnitKind.TOWN)
    peer = make_unit("发展和改革局", region=county)
    foreign = make_unit("商务局", region=other)
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=mine)

    visible = set(Unit.objects.visible_to(liaison))

    assert {mine, peer} <= visible
    assert foreign not in visible
    with pytest.raises(Http404):
        policy.get_object_for_user_or_404(liaison, Unit, foreign.pk)


def test_revoked_grant_stops_on_the_next_request():
    unit = make_unit()
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)
    grant = liaison.grants.get()
    from duban.accounts.services import revoke_grant

    revoke_grant(grant, actor=None, check_access=False)
    policy.forget(liaison)  # a new request reads grants afresh

    assert not Unit.objects.visible_to(liaison).exists()


def test_garbage_ids_are_404_not_500():
    unit = make_unit()
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)
    for pk in ["abc", None, -1, 10**20]:
        with pytest.raises(Http404):
            policy.get_object_for_user_or_404(liaison, Unit, pk)
