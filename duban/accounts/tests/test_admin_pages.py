"""User and grant administration: each administrator sees only its part; others get 404."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user, make_user_with_role
from duban.accounts.models import Grant, User
from duban.audit.events import AuditEvent
from duban.org.factories import make_county, make_unit

from .support import events

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county():
    return make_county("甲县")


@pytest.fixture
def admins(county):
    return {
        role: make_user_with_role(role, region=county)
        for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
    }


PAGES = {
    "accounts:user_list": {Role.SYSTEM_ADMIN: 200, Role.SECURITY_ADMIN: 200, Role.AUDIT_ADMIN: 404},
    "accounts:user_create": {Role.SYSTEM_ADMIN: 200, Role.SECURITY_ADMIN: 404, Role.AUDIT_ADMIN: 404},
    "accounts:grant_list": {Role.SYSTEM_ADMIN: 404, Role.SECURITY_ADMIN: 200, Role.AUDIT_ADMIN: 404},
    "accounts:grant_create": {Role.SYSTEM_ADMIN: 404, Role.SECURITY_ADMIN: 200, Role.AUDIT_ADMIN: 404},
}


@pytest.mark.parametrize("url_name", PAGES)
def test_each_administrator_sees_only_its_part(admins, url_name, county):
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=make_unit(region=county))
    for role, expected in PAGES[url_name].items():
        assert as_user(admins[role]).get(reverse(url_name)).status_code == expected, role
    assert as_user(liaison).get(reverse(url_name)).status_code == 404


def test_security_admin_reads_users_but_cannot_change_them(admins, county):
    target = make_user(unit=make_unit(region=county))
    client = as_user(admins[Role.SECURITY_ADMIN])
    detail = client.get(reverse("accounts:user_detail", args=[target.pk]))
    assert detail.status_code == 200 and "授予角色" in detail.content.decode()
    for name in ("user_edit", "user_set_active", "user_reset_password"):
        assert client.get(reverse(f"accounts:{name}", args=[target.pk])).status_code == 404
    response = client.post(reverse("accounts:user_edit", args=[target.pk]), {"real_name": "改名"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.real_name != "改名"


def test_users_of_another_county_are_404(admins):
    foreign = make_user(unit=make_unit(region=make_county("乙县")))
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        client = as_user(admins[role])
        assert client.get(reverse("accounts:user_detail", args=[foreign.pk])).status_code == 404
        assert foreign.username not in client.get(reverse("accounts:user_list")).content.decode()


def test_system_admin_creates_a_user_with_a_one_time_password(admins, county):
    unit = make_unit(region=county)
    client = as_user(admins[Role.SYSTEM_ADMIN])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "liuyang",
            "real_name": "刘洋",
            "unit": unit.pk,
            "title": "科员",
            "phone": "13800001111",
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="liuyang")
    password = response.context["temporary_password"]
    assert user.check_password(password) and user.must_change_password
    assert "no-store" in response["Cache-Control"]
    entry = events(AuditEvent.USER_CREATED).filter(target_id=str(user.pk)).get()
    assert entry.actor == admins[Role.SYSTEM_ADMIN]
    assert entry.changes["phone"] == [None, "138****1111"]
    assert password not in str(entry.changes)


@pytest.mark.parametrize(
    "field,value",
    [
        ("real_name", "刘\x07洋"),
        ("real_name", "刘" * 40),
        ("title", "科员\u200b"),
        ("phone", "call me"),
        ("username", "a b"),
    ],
)
def test_bad_user_input_is_refused_with_a_chinese_message(admins, county, field, value):
    data = {"username": "badinput", "real_name": "刘洋", "unit": make_unit(region=county).pk, field: value}
    response = as_user(admins[Role.SYSTEM_ADMIN]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors and any("\u4e00" <= ch <= "\u9fff" for ch in errors[0])
    assert not User.objects.filter(username="badinput").exists()


def test_system_admin_edits_deactivates_and_resets(admins, county):
    target = make_user(unit=make_unit(region=county))
    client = as_user(admins[Role.SYSTEM_ADMIN])
    client.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"real_name": "新名字", "unit": target.unit_id, "title": "股长", "phone": "", "email": ""},
    )
    target.refresh_from_db()
    assert target.real_name == "新名字" and events(AuditEvent.USER_CHANGED).exists()
    missing_reason = client.post(reverse("accounts:user_set_active", args=[target.pk]), {"reason": ""})
    assert missing_reason.status_code == 200
    client.post(reverse("accounts:user_set_active", args=[target.pk]), {"reason": "调离本县"})
    target.refresh_from_db()
    assert not target.is_active
    assert events(AuditEvent.USER_DEACTIVATED).get().reason == "调离本县"
    response = client.post(reverse("accounts:user_reset_password", args=[target.pk]))
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(response.context["temporary_password"])
    assert events(AuditEvent.PASSWORD_RESET).exists()


def test_security_admin_grants_and_revokes_with_reason(admins, county):
    unit = make_unit(region=county)
    target = make_user(unit=unit)
    client = as_user(admins[Role.SECURITY_ADMIN])
    response = client.post(
        reverse("accounts:grant_create"), {"user": target.pk, "role": Role.UNIT_LIAISON, "unit": unit.pk}
    )
    assert response.status_code == 302
    grant = Grant.objects.get(user=target)
    assert events(AuditEvent.GRANT_CREATED).filter(target_id=str(grant.pk)).exists()
    # The user sees the grant on the profile page.
    assert unit.name in as_user(target).get(reverse("accounts:profile")).content.decode()
    no_reason = client.post(reverse("accounts:grant_revoke", args=[grant.pk]), {"reason": "  "})
    assert no_reason.status_code == 200 and "请填写理由" in no_reason.content.decode()
    client.post(reverse("accounts:grant_revoke", args=[grant.pk]), {"reason": "岗位调整"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert events(AuditEvent.GRANT_REVOKED).get().reason == "岗位调整"


def test_grant_rules_show_as_form_errors(admins, county):
    unit = make_unit(region=county)
    target = make_user(unit=unit)
    client = as_user(admins[Role.SECURITY_ADMIN])
    response = client.post(reverse("accounts:grant_create"), {"user": target.pk, "role": Role.UNIT_LIAISON})
    assert response.status_code == 200 and "该角色的范围必须是一个单位" in response.content.decode()
    self_grant = client.post(
        reverse("accounts:grant_create"),
        {"user": admins[Role.SECURITY_ADMIN].pk, "role": Role.INSPECTOR, "region": county.pk},
    )
    assert self_grant.status_code == 200 and not Grant.objects.filter(role=Role.INSPECTOR).exists()


def test_admin_pages_enforce_csrf(admins, county):
    target = make_user(unit=make_unit(region=county))
    client = Client(enforce_csrf_checks=True)
    client.force_login(admins[Role.SYSTEM_ADMIN])
    response = client.post(reverse("accounts:user_set_active", args=[target.pk]), {"reason": "x"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _populate(county, n):
    for _ in range(n):
        unit = make_unit(region=county)
        make_user_with_role(Role.UNIT_LIAISON, unit=unit)
        make_user_with_role(Role.INSPECTOR, unit=unit, region=county)


@pytest.mark.parametrize(
    "url_name,role", [("accounts:user_list", Role.SYSTEM_ADMIN), ("accounts:grant_list", Role.SECURITY_ADMIN)]
)
def test_list_query_count_does_not_grow_with_rows(admins, county, url_name, role):
    client = as_user(admins[role])
    _populate(county, 2)
    small = _count(client, reverse(url_name))
    _populate(county, 12)
    large = _count(client, reverse(url_name))
    assert small == large, (small, large)
