"""Ending a user's sessions (deactivation, password change or reset, second factor enabled)."""

from __future__ import annotations

from django.utils import timezone


def end_sessions(user, keep_session_key: str | None = None) -> int:
    """Delete every session of `user` except `keep_session_key`; revoke their API tokens too.

    Returns how many sessions ended. One indexed DELETE on UserSession.user_id.
    """
    from .models import ApiToken, UserSession

    sessions = UserSession.objects.filter(user_id=user.pk)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    ended, _ = sessions.delete()
    ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return ended
