"""The visible_to queryset every model of the app shares."""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from duban.accounts import policy

        return policy.scope_queryset(self, user, action)
