"""`duban createadmin`: the first administrators, audited from the command line."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts.models import Grant, User
from duban.audit.events import AuditEvent
from duban.org.models import Region

from .support import events

pytestmark = pytest.mark.django_db
GOOD = "Admin-Strong-2026!"


def create(**options):
    args = {"role": "system_admin", "username": "sysadmin", "real_name": "王系统", "password": GOOD}
    args.update(options)
    call_command("createadmin", **args)


def test_creates_the_root_region_and_the_admin_when_the_tree_is_empty():
    create(region_name="示例县", region_code="379999", region_level="county")
    region = Region.objects.get()
    assert region.parent is None and region.level == "county"
    user = User.objects.get(username="sysadmin")
    assert user.must_change_password and user.check_password(GOOD) and not user.is_superuser
    grant = Grant.objects.get(user=user)
    assert grant.role == "system_admin" and grant.region == region
    for event in (AuditEvent.REGION_CREATED, AuditEvent.USER_CREATED, AuditEvent.GRANT_CREATED):
        entry = events(event).get()
        assert entry.actor is None and entry.source == "cli"


def test_an_empty_tree_without_region_options_is_refused():
    with pytest.raises(CommandError, match="区划树为空"):
        create()
    assert not User.objects.exists()


def test_the_three_admins_share_the_root_region():
    create(region_name="示例县", region_code="379999")
    create(role="security_admin", username="secadmin", real_name="李安全")
    create(role="audit_admin", username="audadmin", real_name="赵审计")
    assert Grant.objects.filter(region__parent__isnull=True).count() == 3


def test_a_weak_password_is_refused_and_nothing_is_saved():
    with pytest.raises(CommandError, match="密码"):
        create(region_name="示例县", region_code="379999", password="short")
    assert not User.objects.exists() and not Region.objects.exists()


def test_control_characters_in_the_name_are_refused():
    with pytest.raises(CommandError, match="控制字符"):
        create(region_name="示例县", region_code="379999", real_name="王\x1b[31m系统")
    assert not User.objects.exists()


def test_an_existing_username_needs_reset_and_reset_clears_the_second_factor():
    create(region_name="示例县", region_code="379999")
    with pytest.raises(CommandError, match="已存在"):
        create(password="Another-Strong-2026!")
    user = User.objects.get(username="sysadmin")
    TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    create(password="Another-Strong-2026!", reset=True)
    user.refresh_from_db()
    assert user.check_password("Another-Strong-2026!") and user.must_change_password
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert events(AuditEvent.PASSWORD_RESET).get().source == "cli"
