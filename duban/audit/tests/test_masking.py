"""Entries never hold passwords, OTP secrets, session keys or unmasked phone / ID numbers,
and names cannot smuggle control characters into the log."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from duban import audit
from duban.accounts import services as accounts
from duban.accounts.factories import PASSWORD, make_user
from duban.audit import exports
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.factories import make_unit

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
ID_NUMBER = "11010119900307123X"
NEW_PASSWORD = "Another-Secret-2027!"


def everything() -> str:
    """Every audit entry, every field, as one text."""
    return json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)


def test_secret_fields_are_hidden_and_numbers_masked_in_changes():
    with transaction.atomic():
        entry = audit.record(
            AuditEvent.USER_CHANGED,
            changes={
                "password": ["old-secret", "new-secret"],
                "otp_secret": [None, "JBSWY3DPEHPK3PXP"],
                "session_key": [None, "abcdef0123456789"],
                "api_token": [None, "tok-123"],
                "phone": [None, PHONE],
                "id_number": [None, ID_NUMBER],
                "note": [None, f"电话{PHONE},身份证{ID_NUMBER}"],
            },
        )

    changes = AuditEntry.objects.get(pk=entry.pk).changes
    for field in ("password", "otp_secret", "session_key", "api_token"):
        assert changes[field][1] == "[已隐藏]"
    assert changes["phone"][1] == "138****5678"
    assert changes["id_number"][1] == "1101**********123X"
    assert changes["note"][1] == "电话138****5678,身份证1101**********123X"
    text = everything()
    for secret in (
        "old-secret",
        "new-secret",
        "JBSWY3DPEHPK3PXP",
        "abcdef0123456789",
        "tok-123",
        PHONE,
        ID_NUMBER,
    ):
        assert secret not in text


def test_free_text_numbers_are_masked_in_reason_and_description():
    with transaction.atomic():
        entry = audit.record(
            AuditEvent.CONFIG_CHANGED, description=f"联系人 {PHONE}", reason=f"据身份证 {ID_NUMBER} 核实"
        )

    entry.refresh_from_db()
    assert entry.target_repr == "联系人 138****5678"
    assert entry.reason == "据身份证 1101**********123X 核实"


def test_creating_a_user_and_changing_the_password_leak_nothing():
    """Through the real services: the password, its hash and the phone never reach the log."""
    unit = make_unit()
    user = accounts.create_user(
        actor=None,
        username="zhangsan",
        real_name="张三",
        password=PASSWORD,
        unit=unit,
        phone=PHONE,
        must_change_password=False,
        check_access=False,
    )
    accounts.change_password(user, actor=user, old_password=PASSWORD, new_password=NEW_PASSWORD)
    user.refresh_from_db()

    text = everything()
    assert AuditEntry.objects.filter(event=AuditEvent.PASSWORD_CHANGED, target_id=str(user.pk)).exists()
    for secret in (PASSWORD, NEW_PASSWORD, user.password, PHONE):
        assert secret not in text
    assert "138****5678" in text


def test_enabling_otp_does_not_log_the_secret():
    user = make_user()
    device = accounts.start_otp_setup(user)
    code = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )

    accounts.enable_otp(user, actor=user, device=device, code=code)

    assert AuditEntry.objects.filter(event=AuditEvent.OTP_ENABLED, target_id=str(user.pk)).exists()
    text = everything()
    assert device.key not in text
    assert device.key.upper() not in text


def test_logging_in_does_not_log_the_password_or_the_session_key():
    user = make_user()
    client = Client()

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN, actor=user).exists()
    text = everything()
    assert client.session.session_key not in text
    assert PASSWORD not in text


def test_control_characters_in_names_are_stripped():
    """A name with line breaks or escape codes cannot forge a line in the log or its export."""
    forged = "正常单位\n2026-11-28 10:00 登录成功 admin\r\x1b[31m\u202e"
    with transaction.atomic():
        entry = audit.record(AuditEvent.UNIT_CHANGED, description=forged, actor_name=forged, reason=forged)

    entry.refresh_from_db()
    for value in (entry.target_repr, entry.actor_name, entry.reason):
        assert not any(ch in value for ch in "\n\r\x1b\u202e")
        assert value.startswith("正常单位 2026-11-28")
    out = io.BytesIO()
    exports.write_csv(AuditEntry.objects.filter(pk=entry.pk), out)
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert len(next(csv.reader([lines[1]]))) == len(exports.headers())
