"""Login-security facts about a user, read by the middleware, the views and the API."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from . import policy

# Session keys. Times are POSIX seconds so the session stays JSON.
LOGIN_AT = "duban_login_at"
SEEN_AT = "duban_seen_at"
PENDING_USER = "duban_pending_user"
PENDING_AT = "duban_pending_at"
PENDING_NEXT = "duban_pending_next"


def security_setting(name: str) -> int:
    return int(settings.DUBAN_SECURITY[name])


def otp_required(user) -> bool:
    """Whether the user's roles demand a second factor (the three administrators by default)."""
    return policy.has_role(user, *settings.DUBAN_SECURITY.get("OTP_REQUIRED_ROLES", []))


def has_otp_device(user) -> bool:
    from django_otp import user_has_device

    return bool(getattr(user, "pk", None)) and user_has_device(user, confirmed=True)


def password_expired(user, now: datetime.datetime | None = None) -> bool:
    max_age = security_setting("PASSWORD_MAX_AGE_DAYS")
    if max_age <= 0:
        return False
    changed = user.password_changed_at
    if changed is None:
        return True
    return (now or timezone.now()) - changed > datetime.timedelta(days=max_age)


def must_change_password(user) -> bool:
    return bool(user.must_change_password) or password_expired(user)


def stamp_session(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: note when the session began, for idle and absolute timeouts."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now().timestamp()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
