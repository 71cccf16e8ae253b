"""The session engine: Django's database sessions, with the user's id in its own column.

Ending every session of a user (password change, deactivation, reset) is then one indexed
DELETE instead of decoding every live session in Python (see docs/security.md for figures).
Set as SESSION_ENGINE = "duban.accounts.session_store".
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            obj.user_id = None
        return obj

    async def acreate_model_instance(self, data):
        return self.create_model_instance(data)
