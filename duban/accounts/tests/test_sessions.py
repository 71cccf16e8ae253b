"""Idle and absolute session timeouts, forced password changes, ending other sessions."""

import datetime
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duban.accounts import security
from duban.accounts.factories import PASSWORD, make_user
from duban.accounts.models import UserSession
from duban.accounts.sessions import end_sessions
from duban.audit.events import AuditEvent

from .support import events, post_login

pytestmark = pytest.mark.django_db
PROFILE = "/accounts/profile/"


def logged_in(user) -> Client:
    client = Client()
    assert post_login(client, user.username).status_code == 302
    return client


def test_idle_for_more_than_thirty_minutes_ends_the_session():
    client = logged_in(make_user())
    assert client.get(PROFILE).status_code == 200
    later = timezone.now() + datetime.timedelta(minutes=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(PROFILE)
    assert response.status_code == 302
    assert "expired=1" in response["Location"] and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_activity_within_the_idle_limit_keeps_the_session():
    client = logged_in(make_user())
    start = timezone.now()
    for minutes in (20, 40, 60):  # each request within 30 minutes of the previous one
        with mock.patch(
            "django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=minutes)
        ):
            assert client.get(PROFILE).status_code == 200


def test_absolute_lifetime_of_twelve_hours_ends_even_an_active_session():
    client = logged_in(make_user())
    session = client.session
    now = time.time()
    session[security.LOGIN_AT] = now - 12 * 3600 - 60
    session[security.SEEN_AT] = now - 10
    session.save()
    response = client.get(PROFILE)
    assert response.status_code == 302 and "expired=1" in response["Location"]


def test_htmx_requests_get_hx_redirect_on_timeout():
    client = logged_in(make_user())
    session = client.session
    session[security.SEEN_AT] = time.time() - 31 * 60
    session.save()
    response = client.get(PROFILE, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_first_login_forces_a_password_change_before_anything_else():
    user = make_user(must_change_password=True)
    client = logged_in(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    htmx = client.get(PROFILE, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "首次登录或密码已到期" in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-Start-2026", "new_password2": "Fresh-Start-2026"},
    )
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200


def test_password_older_than_ninety_days_must_be_changed():
    user = make_user()
    user.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    user.save(update_fields=["password_changed_at"])
    client = logged_in(user)
    assert client.get(PROFILE)["Location"] == reverse("accounts:password_change")
    user.password_changed_at = timezone.now() - datetime.timedelta(days=89)
    user.save(update_fields=["password_changed_at"])
    assert client.get(PROFILE).status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one():
    user = make_user()
    phone, desk = logged_in(user), logged_in(user)
    assert UserSession.objects.filter(user_id=user.pk).count() == 2
    response = desk.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-Start-2026", "new_password2": "Fresh-Start-2026"},
    )
    assert response.status_code == 302
    assert desk.get(PROFILE).status_code == 200
    assert phone.get(PROFILE).status_code == 302
    assert UserSession.objects.filter(user_id=user.pk).count() == 1
    assert events(AuditEvent.PASSWORD_CHANGED).count() == 1


def test_password_change_page_shows_the_rules_in_chinese_on_bad_input():
    client = logged_in(make_user())
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "密码" in body and 'role="alert"' in body
    assert not events(AuditEvent.PASSWORD_CHANGED).exists()


def test_end_sessions_is_one_indexed_delete(django_assert_max_num_queries):
    user, other = make_user(), make_user()
    for _ in range(3):
        logged_in(user)
    keep = logged_in(other)
    with django_assert_max_num_queries(3):
        assert end_sessions(user) == 3
    assert keep.get(PROFILE).status_code == 200


def test_deactivation_ends_the_users_sessions():
    from duban.accounts.choices import Role
    from duban.accounts.factories import make_user_with_role
    from duban.accounts.services import set_user_active

    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    user = make_user(unit=admin.unit)
    client = logged_in(user)
    set_user_active(user, actor=admin, active=False, reason="调离")
    assert client.get(PROFILE).status_code == 302
