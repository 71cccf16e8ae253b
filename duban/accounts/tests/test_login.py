"""The login page: lock after repeated failures (per account and per address), one generic
message, an audit entry for every event, a new session key, logout by POST only."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.accounts.factories import PASSWORD, make_user
from duban.accounts.login import GENERIC_FAILURE
from duban.accounts.models import LoginThrottle, UserSession
from duban.audit.events import AuditEvent, Outcome

from .support import events, post_login, security

pytestmark = pytest.mark.django_db


def fail(client, username, times, **extra):
    for _ in range(times):
        response = post_login(client, username, "Wrong-Password-1", **extra)
    return response


def test_correct_password_logs_in_with_a_new_session_key_and_audits(client):
    user = make_user()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    response = post_login(client, user.username)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.session.session_key != before
    assert UserSession.objects.get(session_key=client.session.session_key).user_id == user.pk
    entry = events(AuditEvent.LOGIN).get()
    assert entry.actor == user and entry.outcome == Outcome.SUCCESS and entry.address == "127.0.0.1"


def test_wrong_password_gets_the_generic_message_and_an_audit_entry(client):
    user = make_user()
    response = post_login(client, user.username, "Wrong-Password-1")
    assert response.status_code == 200
    assert str(GENERIC_FAILURE) in response.content.decode()
    entry = events(AuditEvent.LOGIN_FAILED).get()
    assert entry.outcome == Outcome.FAILURE and entry.target_id == str(user.pk)
    assert "Wrong-Password" not in str(entry.changes) + entry.reason


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    make_user(username="known")
    known = post_login(client, "known", "Wrong-Password-1").content.decode()
    unknown = post_login(client, "nobody-here", "Wrong-Password-1").content.decode()
    assert str(GENERIC_FAILURE) in known and str(GENERIC_FAILURE) in unknown
    assert events(AuditEvent.LOGIN_FAILED).count() == 2


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = make_user()
    fail(client, user.username, 5)
    lock = events(AuditEvent.LOCKOUT)
    assert lock.count() == 2  # the account and the address both reached the limit
    assert all(e.outcome == Outcome.FAILURE for e in lock)
    response = post_login(client, user.username)  # correct password, from another address too
    assert "_auth_user_id" not in client.session
    assert str(GENERIC_FAILURE) in response.content.decode()
    other = post_login(client, user.username, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and "_auth_user_id" not in client.session


def test_four_failures_then_success_resets_the_count(client):
    user = make_user()
    fail(client, user.username, 4)
    assert post_login(client, user.username).status_code == 302
    client.post(reverse("accounts:logout"))
    fail(client, user.username, 4)
    assert post_login(client, user.username).status_code == 302
    assert not events(AuditEvent.LOCKOUT).exists()


def test_the_lock_expires_after_the_configured_minutes(client):
    user = make_user()
    with security(LOCKOUT_MINUTES=30):
        fail(client, user.username, 5)
        later = timezone.now() + datetime.timedelta(minutes=31)
        with mock.patch("django.utils.timezone.now", return_value=later):
            response = post_login(client, user.username)
    assert response.status_code == 302
    assert LoginThrottle.objects.filter(failures=0, locked_until=None).count() == 2


def test_an_address_is_locked_across_accounts(client):
    """Five failures spread over five names from one address lock that address."""
    victim = make_user()
    for n in range(5):
        post_login(client, f"guess{n}", "Wrong-Password-1", REMOTE_ADDR="10.9.9.9")
    response = post_login(client, victim.username, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # The same account from another address is fine: only the address is locked.
    assert post_login(client, victim.username, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_limits_are_configurable(client):
    user = make_user()
    with security(MAX_FAILED_LOGINS=2):
        fail(client, user.username, 2)
        assert post_login(client, user.username).status_code == 200
    assert events(AuditEvent.LOCKOUT).exists()


def test_failures_are_audited_even_though_the_request_fails(client):
    """The failure entries are committed on their own (the view has no surrounding transaction)."""
    user = make_user()
    fail(client, user.username, 6)
    assert events(AuditEvent.LOGIN_FAILED).count() == 6
    assert events(AuditEvent.LOGIN_FAILED).last().reason == "locked"


def test_inactive_user_cannot_log_in(client):
    user = make_user()
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = post_login(client, user.username)
    assert response.status_code == 200 and str(GENERIC_FAILURE) in response.content.decode()


@pytest.mark.parametrize(
    "username,password",
    [("x" * 151, PASSWORD), ("someone", "p" * 300), ("", PASSWORD), ("张三\x00", PASSWORD)],
)
def test_bad_input_is_refused_with_a_message_and_no_session(client, username, password):
    make_user(username="someone")
    response = post_login(client, username, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()


def test_next_is_followed_only_within_the_site(client):
    user = make_user()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": user.username, "password": PASSWORD},
    )
    assert response["Location"] == reverse("core:home")
    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD, "next": "/accounts/profile/"},
    )
    assert response["Location"] == "/accounts/profile/"


def test_logout_is_post_only_and_deletes_the_session_row(client):
    user = make_user()
    post_login(client, user.username)
    key = client.session.session_key
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert UserSession.objects.filter(session_key=key).exists()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not UserSession.objects.filter(session_key=key).exists()
    assert events(AuditEvent.LOGOUT).get().actor == user
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_login_page_enforces_csrf():
    from django.test import Client

    user = make_user()
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, user.username)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
