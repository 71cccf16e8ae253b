"""The access policy's machinery: grants, scopes, and the calls every read and write goes through.

Every list, detail, export and API endpoint starts from `scope_queryset` (through each
model's `objects.visible_to(user)`) or `get_object_for_user_or_404`. A rule maps
(user, action) to a Q over the model; an object outside it does not exist for that user,
so pages and the API answer 404 for forbidden and missing alike.

Grants are read once per request and cached on the user object; the next request reads
them afresh, so a revoked grant stops working at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ..choices import BUSINESS_ROLES, UNIT_SCOPED_ROLES

QS = TypeVar("QS", bound=QuerySet)
NOTHING = Q(pk__in=[])
VIEW, CHANGE, EXPORT = "view", "change", "export"
CONFIDENTIAL = "confidential"  # investment leads: contacts and negotiation notes


@dataclass
class GrantSet:
    """The active grants of one user, flattened for building filters."""

    roles: set[str] = field(default_factory=set)
    # role -> region paths (subtree scopes) and unit ids (unit scopes)
    region_paths: dict[str, set[str]] = field(default_factory=dict)
    unit_ids: dict[str, set[int]] = field(default_factory=dict)
    unit_region_paths: dict[str, set[str]] = field(default_factory=dict)
    directory_roots: set[str] = field(default_factory=set)

    def paths(self, roles: Iterable[str]) -> set[str]:
        return set().union(*(self.region_paths.get(r, set()) for r in roles))

    def units(self, roles: Iterable[str]) -> set[int]:
        return set().union(*(self.unit_ids.get(r, set()) for r in roles))


def grants_of(user) -> GrantSet:
    """The user's active grants, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return GrantSet()
    cached = getattr(user, "_duban_grants", None)
    if cached is not None:
        return cached
    from ..models import Grant

    result = GrantSet()
    for grant in Grant.objects.active().filter(user=user).select_related("unit__region", "region"):
        result.roles.add(grant.role)
        if grant.unit_id:
            result.unit_ids.setdefault(grant.role, set()).add(grant.unit_id)
            result.unit_region_paths.setdefault(grant.role, set()).add(grant.unit.region.path)
        else:
            result.region_paths.setdefault(grant.role, set()).add(grant.region.path)
    result.directory_roots = _directory_roots(result)
    user._duban_grants = result
    return result


def forget(user) -> None:
    """Drop the cached grants (after a grant change within the same request or test)."""
    if hasattr(user, "_duban_grants"):
        del user._duban_grants


def _directory_roots(grants: GrantSet) -> set[str]:
    """The county (or city) subtrees whose organisation directory a user may read.

    A liaison of a town's unit reads the directory of the whole county it sits in, so it can
    name cooperating units; a city-level grant reads the city.
    """
    from duban.org.choices import RegionLevel
    from duban.org.models import Region

    paths = set()
    for per_role in (grants.region_paths, grants.unit_region_paths):
        for role, role_paths in per_role.items():
            if role in BUSINESS_ROLES:
                paths |= role_paths
    if not paths:
        return set()
    prefixes = {p[: i + 1] for p in paths for i, ch in enumerate(p) if ch == "/" and i > 0}
    levels = dict(Region.objects.filter(path__in=prefixes).values_list("path", "level"))
    roots = set()
    for path in paths:
        ancestors = sorted((p for p in levels if path.startswith(p)), key=len)
        counties = [p for p in ancestors if levels[p] == RegionLevel.COUNTY]
        roots.add(counties[-1] if counties else (ancestors[0] if ancestors else path))
    return roots


def has_role(user, *roles: str) -> bool:
    return bool(grants_of(user).roles.intersection(roles))


def _paths_q(prefix: str, paths: Iterable[str]) -> Q:
    q = NOTHING
    for path in paths:
        q |= Q(**{f"{prefix}__startswith": path})
    return q


def unit_scope_q(user, unit_field: str, roles: Iterable[str] = BUSINESS_ROLES) -> Q:
    """Objects owned by a unit within the scope of the given roles.

    Region-scoped roles (leaders, the office, inspectors) reach every unit in their subtree;
    unit-scoped roles (head, liaison) reach their own unit only.
    """
    grants = grants_of(user)
    roles = set(roles)
    q = _paths_q(f"{unit_field}__region__path", grants.paths(roles - UNIT_SCOPED_ROLES))
    unit_ids = grants.units(roles)
    if unit_ids:
        q |= Q(**{f"{unit_field}__in": unit_ids})
    return q


# Filled by the package __init__ from platform.py and domains.py: label -> rule(user, action) -> Q.
RULES: dict[str, Callable[[object, str], Q]] = {}


def register(label: str) -> Callable:
    """Used by policy extensions of later modules that live in this package."""

    def wrap(rule: Callable[[object, str], Q]) -> Callable[[object, str], Q]:
        RULES[label] = rule
        return rule

    return wrap


def scope_queryset(qs: QS, user, action: str = VIEW) -> QS:
    """Restrict `qs` to what `user` may do `action` on. Unknown models are closed."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    rule = RULES.get(qs.model._meta.label)
    if rule is None:
        return qs.none()
    q = rule(user, action)
    if q == NOTHING:
        return qs.none()
    # Rules follow forward foreign keys only, which never multiply rows: no DISTINCT needed.
    return qs.filter(q)


def get_object_for_user_or_404(user, model: type[Model] | QuerySet, pk, action: str = VIEW):
    """The object if `user` may do `action` on it; 404 for missing and forbidden alike."""
    qs = model if isinstance(model, QuerySet) else model._default_manager.all()
    try:
        return scope_queryset(qs, user, action).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def can(user, action: str, obj: Model) -> bool:
    model = type(obj)
    return scope_queryset(model._default_manager.filter(pk=obj.pk), user, action).exists()


def require(user, action: str, obj: Model) -> None:
    """For services: refuse a write the policy does not allow."""
    if not can(user, action, obj):
        raise PermissionDenied(_("无权执行此操作"))


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(_("无权执行此操作"))
