"""The access policy: the only place that decides who may see or change what.

Every list, detail, export and API endpoint starts from `scope_queryset` (through each
model's `objects.visible_to(user)`) or `get_object_for_user_or_404`. A rule maps
(user, action) to a Q over the model; an object outside it does not exist for that user,
so pages and the API answer 404 for forbidden and missing alike.

The package keeps the machinery in core.py and the rules in platform.py (organisation,
accounts, audit, jobs, notifications, files, calendar) and domains.py (tasks, projects,
indicators, investment, campaigns); a model with no rule is closed to everybody.
"""

from django.core.exceptions import PermissionDenied

from .core import (
    CHANGE,
    CONFIDENTIAL,
    EXPORT,
    NOTHING,
    RULES,
    VIEW,
    GrantSet,
    can,
    forget,
    get_object_for_user_or_404,
    grants_of,
    has_role,
    register,
    require,
    require_role,
    scope_queryset,
    unit_scope_q,
)
from .domains import DOMAIN_RULES, project_scope_q
from .platform import PLATFORM_RULES

RULES.update(PLATFORM_RULES)
RULES.update(DOMAIN_RULES)

__all__ = [
    "CHANGE",
    "CONFIDENTIAL",
    "EXPORT",
    "NOTHING",
    "RULES",
    "VIEW",
    "GrantSet",
    "PermissionDenied",
    "can",
    "forget",
    "get_object_for_user_or_404",
    "grants_of",
    "has_role",
    "project_scope_q",
    "register",
    "require",
    "require_role",
    "scope_queryset",
    "unit_scope_q",
]
