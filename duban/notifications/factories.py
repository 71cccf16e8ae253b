"""Test data: a user with channel settings, through the service (so audited)."""

from __future__ import annotations

from .models import ChannelSettings
from .services import update_channel_settings


def make_channel_settings(user, *, email: str = "", webhook_url: str = "", **values) -> ChannelSettings:
    return update_channel_settings(
        user,
        actor=user,
        email_enabled=bool(email),
        email=email,
        webhook_enabled=bool(webhook_url),
        webhook_url=webhook_url,
        **values,
    )
