"""Helpers for the account tests (plain functions, no global fixtures)."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from duban.accounts.factories import PASSWORD
from duban.audit.models import AuditEntry

ADMINS = ["system_admin", "security_admin", "audit_admin"]


def security(**overrides):
    """override_settings for DUBAN_SECURITY keys (the test settings switch OTP off by default)."""
    return override_settings(DUBAN_SECURITY={**settings.DUBAN_SECURITY, **overrides})


def otp_on():
    return security(OTP_REQUIRED_ROLES=ADMINS)


def post_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def code_for(device, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return str(value).zfill(device.digits)


def events(event: str):
    return AuditEntry.objects.filter(event=event).order_by("id")
