"""Ending a user's sessions (deactivation, password change elsewhere)."""

from __future__ import annotations

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions(user, keep_session_key: str | None = None) -> int:
    """Delete every live session of `user` except `keep_session_key`. Returns how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        data = session.get_decoded()
        if str(data.get(SESSION_KEY)) == str(user.pk) and HASH_SESSION_KEY in data:
            session.delete()
            ended += 1
    return ended
