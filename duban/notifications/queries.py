"""Reads for the notification pages (one query per list page, one COUNT for the bell)."""

from __future__ import annotations

from .models import Notification

BELL_MAX = 99


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.visible_to(user).unread().count()


def notifications_for(user, *, unread_only: bool = False):
    qs = Notification.objects.visible_to(user).only(
        "id", "recipient_id", "kind", "title", "body", "url", "created_at", "read_at"
    )
    return qs.unread() if unread_only else qs
