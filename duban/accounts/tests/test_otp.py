"""The second factor: required for the administrators, optional for others, checked at login."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts import services
from duban.accounts.choices import Role
from duban.accounts.factories import PASSWORD, make_user, make_user_with_role
from duban.accounts.login import GENERIC_FAILURE
from duban.audit.events import AuditEvent

from .support import code_for, events, otp_on, post_login

pytestmark = pytest.mark.django_db


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


@otp_on()
def test_admin_without_a_device_must_set_one_up_first(client):
    admin = make_user_with_role(Role.SECURITY_ADMIN)
    post_login(client, admin.username)
    response = client.get(reverse("accounts:grant_list"))
    assert response["Location"] == reverse("accounts:otp_setup")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["detail"] == "请先设置双因素认证"
    page = client.get(reverse("accounts:otp_setup"))
    body = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in body
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"action": "confirm", "code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    done = client.post(reverse("accounts:otp_setup"), {"action": "confirm", "code": code_for(device)})
    assert done.status_code == 302
    assert client.get(reverse("accounts:grant_list")).status_code == 200
    assert events(AuditEvent.OTP_ENABLED).get().actor == admin


@otp_on()
def test_login_with_a_device_asks_for_the_code(client):
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    device = enrolled(admin)
    response = post_login(client, admin.username)
    assert response["Location"] == reverse("accounts:login_otp")
    assert "_auth_user_id" not in client.session  # not logged in after the password alone
    assert client.get("/").status_code == 302
    response = client.post(reverse("accounts:login_otp"), {"code": code_for(device)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert events(AuditEvent.LOGIN).get().actor == admin


@otp_on()
def test_wrong_codes_count_toward_the_lock(client):
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    device = enrolled(admin)
    post_login(client, admin.username)
    for _ in range(4):
        response = client.post(reverse("accounts:login_otp"), {"code": "123456"})
        assert str(GENERIC_FAILURE) in response.content.decode()
    post_login(client, "x", "wrong-once-more")  # the fifth failure, from the same address
    assert events(AuditEvent.LOCKOUT).exists()
    post_login(client, admin.username)
    response = client.post(reverse("accounts:login_otp"), {"code": code_for(device)})
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires_without_a_password_step(client):
    response = client.get(reverse("accounts:login_otp"))
    assert response["Location"] == reverse("accounts:login")


def test_optional_for_others_enable_and_disable(client):
    user = make_user()
    post_login(client, user.username)
    assert client.get("/").status_code == 200  # not required
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:otp_setup"), {"action": "confirm", "code": code_for(device)})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    wrong = client.post(reverse("accounts:otp_disable"), {"password": "not-my-password"})
    assert wrong.status_code == 200 and TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("accounts:otp_disable"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert events(AuditEvent.OTP_DISABLED).get().actor == user


@otp_on()
def test_administrators_cannot_disable_their_second_factor():
    admin = make_user_with_role(Role.AUDIT_ADMIN)
    enrolled(admin)
    with pytest.raises(services.ValidationError):
        services.disable_otp(admin, actor=admin)
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_system_admin_resets_a_users_second_factor():
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    user = make_user(unit=admin.unit)
    enrolled(user)
    client = Client()
    client.force_login(admin)
    response = client.post(reverse("accounts:user_reset_otp", args=[user.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = events(AuditEvent.OTP_DISABLED).get()
    assert entry.actor == admin and entry.target_id == str(user.pk)


def test_enabling_ends_the_other_sessions(client):
    user = make_user()
    other = Client()
    post_login(other, user.username)
    post_login(client, user.username)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:otp_setup"), {"action": "confirm", "code": code_for(device)})
    assert other.get("/accounts/profile/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
