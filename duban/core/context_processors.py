"""What the page shell needs on every page: the user's name, unit, roles and navigation."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from duban.accounts.choices import Role
from duban.accounts.policy import grants_of

from .navigation import entries_for


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = grants_of(user).roles
    nav: list[dict[str, Any]] = []
    for entry in entries_for(roles):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # a module whose pages are not installed in this deployment
        nav.append(
            {
                "label": entry.label,
                "url": url,
                "section": entry.section,
                "active": False,
            }
        )
    # Highlight the one entry whose address is the longest prefix of this page's, so that
    # /tasks/board/ lights 督办台账 and not also 我的督办 (/tasks/).
    matches = [
        item
        for item in nav
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {
        "shell_nav": nav,
        "shell_roles": sorted(Role(r).label for r in roles),
    }
