"""Checking credentials: password, second factor, and the lock after repeated failures.

Used by the login pages and by POST /api/v1/auth/token, so both follow the same rules.
Failures are counted per account name and per source address; after MAX_FAILED_LOGINS
consecutive failures either key is locked for LOCKOUT_MINUTES. The answer to a failure is
always the same generic message: it never says whether the name exists, the password was
wrong or a lock is on.

Failed attempts are audited in their own transaction, so the entry survives even though
nothing else about the request succeeds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.audit.events import AuditEvent, Outcome

from .models import LoginThrottle, User
from .security import has_otp_device, otp_required, security_setting

GENERIC_FAILURE = _("用户名或密码错误，或账号已被暂时锁定。请稍后再试。")
MAX_USERNAME = 150
MAX_PASSWORD = 256  # longer input is refused before hashing: no hashing-cost denial of service
MAX_OTP = 16


class LoginFailed(Exception):
    """Credentials refused. str() is the generic message; never more detail than that."""

    def __init__(self) -> None:
        super().__init__(str(GENERIC_FAILURE))


@dataclass(frozen=True)
class PasswordChecked:
    user: User
    needs_otp: bool  # the user has a confirmed device: a code must follow


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = [(LoginThrottle.Kind.ACCOUNT, username.strip().casefold()[:MAX_USERNAME])]
    if address:
        keys.append((LoginThrottle.Kind.ADDRESS, address[:MAX_USERNAME]))
    return keys


def _locked(username: str, address: str, now: datetime.datetime) -> bool:
    for kind, key in _keys(username, address):
        row = LoginThrottle.objects.filter(kind=kind, key=key).first()
        if row is not None and row.locked_until is not None and row.locked_until > now:
            return True
    return False


def _throttle_row(kind: str, key: str) -> LoginThrottle:
    try:
        with transaction.atomic():
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(kind=kind, key=key)
    except IntegrityError:  # a concurrent first failure created it
        row = LoginThrottle.objects.select_for_update().get(kind=kind, key=key)
    return row


def _target(username: str) -> User | None:
    return User.objects.filter(username=username.strip()[:MAX_USERNAME]).first()


def record_failure(username: str, address: str, *, reason: str) -> None:
    """Count one failure on the account name and the address; lock either at the limit."""
    now = timezone.now()
    limit = security_setting("MAX_FAILED_LOGINS")
    window = datetime.timedelta(minutes=security_setting("LOCKOUT_MINUTES"))
    with transaction.atomic():
        user = _target(username)
        description = user.display_name if user else username[:64]
        audit.record(
            AuditEvent.LOGIN_FAILED,
            actor=None,
            actor_name=username[:64],
            target=user,
            description=description,
            outcome=Outcome.FAILURE,
            reason=reason,
        )
        for kind, key in _keys(username, address):
            row = _throttle_row(kind, key)
            if row.locked_until is not None and row.locked_until > now:
                continue  # already locked: attempts during a lock neither extend nor re-audit it
            stale = row.last_failure_at is None or now - row.last_failure_at > window
            row.failures = 1 if stale or row.locked_until is not None else row.failures + 1
            row.locked_until = None
            row.last_failure_at = now
            if row.failures >= limit:
                row.locked_until = now + window
                audit.record(
                    AuditEvent.LOCKOUT,
                    actor=None,
                    actor_name=username[:64],
                    target=user,
                    description=f"{LoginThrottle.Kind(kind).label}: {key}",
                    outcome=Outcome.FAILURE,
                    changes={"locked_until": [None, row.locked_until]},
                )
            row.save(update_fields=["failures", "locked_until", "last_failure_at"])


def clear_failures(username: str, address: str) -> None:
    """A complete, successful login resets both counters."""
    for kind, key in _keys(username, address):
        LoginThrottle.objects.filter(kind=kind, key=key).update(failures=0, locked_until=None)


def unlock_account(username: str) -> int:
    """Lift the lock on an account name (after a password reset)."""
    return LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ACCOUNT, key=username.casefold()).update(
        failures=0, locked_until=None
    )


def check_password_step(username: str, password: str, *, address: str, request=None) -> PasswordChecked:
    """The first step. Raises LoginFailed (and counts it) on any refusal."""
    username = username or ""
    if not username.strip() or len(username) > MAX_USERNAME or len(password or "") > MAX_PASSWORD:
        record_failure(username, address, reason="invalid input")
        raise LoginFailed
    if _locked(username, address, timezone.now()):
        record_failure(username, address, reason="locked")
        raise LoginFailed
    user = authenticate(request, username=username.strip(), password=password)
    if user is None:
        record_failure(username, address, reason="bad credentials")
        raise LoginFailed
    return PasswordChecked(user=user, needs_otp=has_otp_device(user))


def check_otp_step(user: User, code: str, *, address: str):
    """The second step: a code from the user's confirmed device. Returns the device."""
    from django_otp import devices_for_user

    code = (code or "").strip().replace(" ", "")
    if _locked(user.username, address, timezone.now()):
        record_failure(user.username, address, reason="locked")
        raise LoginFailed
    if code and len(code) <= MAX_OTP and code.isdigit():
        for device in devices_for_user(user, confirmed=True):
            if device.verify_token(code):
                return device
    record_failure(user.username, address, reason="bad second factor")
    raise LoginFailed


def complete_login(user: User, *, address: str, via: str = "web") -> None:
    """Reset the counters and audit the login (the caller starts the session or token)."""
    clear_failures(user.username, address)
    with transaction.atomic():
        audit.record(AuditEvent.LOGIN, actor=user, target=user, changes={"via": [None, via]})


def otp_setup_pending(user: User) -> bool:
    """A user whose roles require a second factor but who has none yet (set up after login)."""
    return otp_required(user) and not has_otp_device(user)


def pending_user(pk) -> User | None:
    """The active user whose password step passed (pk from the session), or None."""
    try:
        return User.objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError):
        return None
