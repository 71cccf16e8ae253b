"""Access rules of the platform: organisation, accounts, audit, jobs, notifications, files, calendar."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from ..choices import ADMIN_ROLES, Role
from .core import (
    EXPORT,
    NOTHING,
    RULES,
    VIEW,
    _paths_q,
    grants_of,
    has_role,
)


def _region_rule(user, action: str) -> Q:
    grants = grants_of(user)
    admin_paths = grants.paths({Role.SYSTEM_ADMIN})
    if action == VIEW:
        readers = grants.paths(ADMIN_ROLES) | grants.directory_roots
        return _paths_q("path", readers)
    return _paths_q("path", admin_paths)


def _unit_rule(user, action: str) -> Q:
    grants = grants_of(user)
    if action == VIEW:
        return _paths_q("region__path", grants.paths(ADMIN_ROLES) | grants.directory_roots)
    return _paths_q("region__path", grants.paths({Role.SYSTEM_ADMIN}))


def _user_rule(user, action: str) -> Q:
    grants = grants_of(user)
    roles = {Role.SYSTEM_ADMIN} if action != VIEW else {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
    admin_paths = grants.paths(roles)
    q = _paths_q("unit__region__path", admin_paths)
    if admin_paths:
        q |= Q(unit__isnull=True)  # administrators' own accounts sit outside the unit tree
    if action == VIEW:
        q |= Q(pk=user.pk)
        heads = grants.units({Role.UNIT_HEAD})
        if heads:
            q |= Q(unit__in=heads)
    elif admin_paths:
        # 三员分立: no administrator changes another administrator's account through the
        # pages (that would let one take over another); the server's `createadmin --reset` does.
        from ..models import Grant

        held = Grant.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True, role__in=ADMIN_ROLES)
        q = Q(q, ~Exists(held))
    return q


def _grant_rule(user, action: str) -> Q:
    grants = grants_of(user)
    paths = grants.paths({Role.SECURITY_ADMIN})
    q = _paths_q("user__unit__region__path", paths)
    if paths:
        # A user outside the unit tree (an administrator): the grant's own scope must be in reach.
        q |= Q(user__unit__isnull=True) & _paths_q("region__path", paths)
    if action == VIEW:
        q |= Q(user=user)
    return q


def _audit_rule(user, action: str) -> Q:
    if action in (VIEW, EXPORT) and has_role(user, Role.AUDIT_ADMIN):
        return Q()
    return NOTHING


def _job_rule(user, action: str) -> Q:
    # A job's log and result file are its owner's alone.
    return Q(owner=user)


def _notification_rule(user, action: str) -> Q:
    # Notifications and channel settings are their recipient's alone, administrators included.
    return Q(recipient=user)


def _channel_settings_rule(user, action: str) -> Q:
    return Q(user=user)


def _attachment_rule(user, action: str) -> Q:
    # An attachment follows its owner: seen by whoever may see the object it is attached to,
    # changed (removed) by whoever may change it. Owners are the models registered in
    # duban.attachments.registry; each contributes one subquery over its own rule.
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from duban.attachments.registry import owner_models

    q = NOTHING
    for model in owner_models():
        rule = RULES.get(model._meta.label)
        # An owner may ask for a stricter action to read its files (investment leads: "confidential").
        owner_action = getattr(model, "ATTACHMENT_READ_ACTION", VIEW) if action == VIEW else action
        owner_q = rule(user, owner_action) if rule else NOTHING
        if owner_q == NOTHING:
            continue
        owners = model._default_manager.filter(owner_q).values(_pk_text=Cast("pk", CharField()))
        meta = model._meta
        q |= Q(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id__in=owners
        )
    return q


def _workday_adjustment_rule(user, action: str) -> Q:
    # The calendar is national: any system administrator keeps it. Everyone reads the
    # resulting calendar through duban.core.calendar, never these rows.
    return Q() if has_role(user, Role.SYSTEM_ADMIN) else NOTHING


PLATFORM_RULES: dict[str, Callable[[object, str], Q]] = {
    "jobs.Job": _job_rule,
    "attachments.Attachment": _attachment_rule,
    "notifications.Notification": _notification_rule,
    "notifications.ChannelSettings": _channel_settings_rule,
    "core.WorkdayAdjustment": _workday_adjustment_rule,
    "org.Region": _region_rule,
    "org.Unit": _unit_rule,
    "accounts.User": _user_rule,
    "accounts.Grant": _grant_rule,
    "audit.AuditEntry": _audit_rule,
}
