"""Composed reads for the account pages: each list in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import Grant, User


def active_grants() -> QuerySet[Grant]:
    return Grant.objects.active().select_related("unit", "region").order_by("role", "id")


def user_list(actor, *, q: str = "", unit=None, role: str = "", active: str = "") -> QuerySet[User]:
    """The users an administrator may see, filtered, each with its active grants."""
    users = User.objects.visible_to(actor).select_related("unit")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(real_name__icontains=q))
    if unit is not None:
        users = users.filter(unit=unit)
    if role:
        # Exists, not a join: a user with two grants of the role must appear once.
        users = users.filter(Exists(Grant.objects.active().filter(user=OuterRef("pk"), role=role)))
    if active in {"0", "1"}:
        users = users.filter(is_active=active == "1")
    return users.prefetch_related(Prefetch("grants", queryset=active_grants(), to_attr="active_grants"))


def grant_list(actor, *, q: str = "", role: str = "", state: str = "active") -> QuerySet[Grant]:
    grants = Grant.objects.visible_to(actor).select_related(
        "user", "user__unit", "unit", "region", "granted_by", "revoked_by"
    )
    if state == "revoked":
        grants = grants.filter(revoked_at__isnull=False)
    elif state != "all":
        grants = grants.filter(revoked_at__isnull=True)
    if q:
        grants = grants.filter(Q(user__username__icontains=q) | Q(user__real_name__icontains=q))
    if role:
        grants = grants.filter(role=role)
    return grants.order_by("-created_at", "-id")


def grants_of_user(user) -> QuerySet[Grant]:
    """A user's own active grants, for the profile page (every user sees their own)."""
    return Grant.objects.visible_to(user).filter(user=user).active().select_related("unit", "region")
