"""POST/DELETE /api/v1/auth/token and GET /api/v1/me: same rules as the pages, JSON errors."""

import datetime
import json
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts.choices import Role
from duban.accounts.factories import PASSWORD, make_user, make_user_with_role
from duban.accounts.models import ApiToken
from duban.accounts.tokens import digest
from duban.audit.events import AuditEvent

from .support import code_for, events, otp_on

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token"


def issue(client, username, password=PASSWORD, **extra):
    body = {"username": username, "password": password, **extra}
    return client.post(TOKEN, json.dumps(body), content_type="application/json")


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_issued_stored_hashed_and_audited(client):
    user = make_user_with_role(Role.UNIT_LIAISON)
    response = issue(client, user.username)
    assert response.status_code == 200
    data = response.json()
    assert data["token"].startswith("dbn_") and data["expires_at"]
    stored = ApiToken.objects.get()
    assert stored.key_hash == digest(data["token"]) and data["token"] not in stored.key_hash
    expires = stored.expires_at - timezone.now()
    assert datetime.timedelta(hours=11, minutes=59) < expires <= datetime.timedelta(hours=12)
    assert events(AuditEvent.TOKEN_ISSUED).get().actor == user
    assert events(AuditEvent.LOGIN).get().changes == {"via": [None, "api"]}


def test_me_answers_user_unit_and_roles_with_scopes(client):
    user = make_user_with_role(Role.UNIT_LIAISON)
    user.phone = "13912345678"
    user.save(update_fields=["phone"])
    token = issue(client, user.username).json()["token"]
    me = Client().get("/api/v1/me", **bearer(token))
    assert me.status_code == 200
    data = me.json()
    assert data["username"] == user.username and data["unit"]["id"] == user.unit_id
    assert data["phone"] == "139****5678"
    assert data["roles"] == [
        {
            "role": "unit_liaison",
            "role_label": "单位联络员",
            "scope_type": "unit",
            "scope_id": user.unit_id,
            "scope_name": user.unit.name,
        }
    ]


def test_wrong_password_is_401_generic_and_counts_toward_the_lock(client):
    user = make_user()
    for _ in range(5):
        response = issue(client, user.username, "Wrong-Password-1")
        assert response.status_code == 401
        assert response.json() == {"detail": response.json()["detail"], "errors": {}}
    assert events(AuditEvent.LOCKOUT).exists()
    assert issue(client, user.username).status_code == 401  # the right password, while locked


def test_revoked_token_answers_401(client):
    user = make_user()
    token = issue(client, user.username).json()["token"]
    api = Client()
    assert api.delete(TOKEN, **bearer(token)).status_code == 204
    assert api.get("/api/v1/me", **bearer(token)).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    assert events(AuditEvent.TOKEN_REVOKED).get().actor == user
    assert api.delete(TOKEN, **bearer(token)).status_code == 401


def test_expired_token_answers_401(client):
    user = make_user()
    token = issue(client, user.username).json()["token"]
    later = timezone.now() + datetime.timedelta(hours=12, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = Client().get("/api/v1/me", **bearer(token))
    assert response.status_code == 401 and "detail" in response.json()


def test_password_change_revokes_tokens(client):
    from duban.accounts.services import change_password

    user = make_user()
    token = issue(client, user.username).json()["token"]
    change_password(user, actor=user, old_password=PASSWORD, new_password="Another-Pass-2026")
    assert Client().get("/api/v1/me", **bearer(token)).status_code == 401


def test_garbage_and_missing_tokens_answer_401():
    api = Client()
    assert api.get("/api/v1/me").status_code == 401
    assert api.get("/api/v1/me", **bearer("dbn_not-a-token")).status_code == 401
    assert api.get("/api/v1/me", **bearer("x" * 5000)).status_code == 401


@otp_on()
def test_otp_is_required_when_the_account_has_a_device(client):
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    device = TOTPDevice.objects.create(user=admin, name="TOTP", confirmed=True)
    missing = issue(client, admin.username)
    assert missing.status_code == 401 and "otp" in missing.json()["errors"]
    assert issue(client, admin.username, otp="000000").status_code == 401
    assert events(AuditEvent.LOGIN_FAILED).count() == 1
    device.refresh_from_db()
    device.throttle_reset()  # django-otp also slows retries on the device itself (1 s after a miss)
    assert issue(client, admin.username, otp=code_for(device)).status_code == 200


@otp_on()
def test_admin_without_a_device_gets_no_token(client):
    admin = make_user_with_role(Role.AUDIT_ADMIN)
    response = issue(client, admin.username)
    assert response.status_code == 403 and "双因素" in response.json()["detail"]


def test_must_change_password_gets_no_token(client):
    user = make_user(must_change_password=True)
    response = issue(client, user.username)
    assert response.status_code == 403 and not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    ['{"username": "a", "password": ', "not json at all", "[]", '{"username": 5}'],
)
def test_malformed_json_gets_a_json_error(client, body):
    response = client.post(TOKEN, body, content_type="application/json")
    assert response.status_code in (400, 422)
    data = response.json()
    assert set(data) == {"detail", "errors"}
    assert not ApiToken.objects.exists()


def test_over_long_fields_are_422_with_field_errors(client):
    response = issue(client, "u" * 200)
    assert response.status_code == 422 and "username" in response.json()["errors"]


def test_session_api_calls_keep_csrf_for_unsafe_methods():
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 200
    # An unsafe method with the session cookie and no CSRF token is refused.
    response = client.delete(TOKEN)
    assert response.status_code in (401, 403)
    token = issue(Client(), user.username).json()["token"]
    # The bearer token needs no CSRF token (a browser never sends it by itself).
    assert client.delete(TOKEN, **bearer(token)).status_code == 204
