"""An attachment follows its owner: visible with it, changeable with it, nowhere else."""

import pytest

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.attachments import factories as f
from duban.attachments.models import Attachment
from duban.org.factories import make_county, make_unit

pytestmark = pytest.mark.django_db


def test_attachments_are_scoped_by_their_owner():
    county = make_county("甲县")
    unit, other = make_unit("发展和改革局", region=county), make_unit("商务局", region=make_county("乙县"))
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=county)
    other_admin = make_user_with_role(Role.SYSTEM_ADMIN, region=other.region)
    mine = f.make_attachment(unit, actor=admin)
    theirs = f.make_attachment(other, actor=other_admin)
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit("统计局", region=county))

    assert set(Attachment.objects.visible_to(liaison)) == {mine}
    assert set(Attachment.objects.visible_to(admin, "change")) == {mine}
    assert not Attachment.objects.visible_to(liaison, "change").exists()
    assert set(Attachment.objects.visible_to(other_admin)) == {theirs}


def test_an_auditor_without_directory_rights_sees_no_attachments():
    unit = make_unit()
    admin = make_user_with_role(Role.SYSTEM_ADMIN, region=unit.region)
    f.make_attachment(unit, actor=admin)
    stranger = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit())

    assert not Attachment.objects.visible_to(stranger).exists()
