"""Every write to users and grants. Each call is one transaction with its audit entry.

三员分立: the system admin creates and edits accounts but cannot grant roles; the security
admin grants and revokes roles but cannot create accounts; nobody grants to themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from duban import audit
from duban.audit.events import AuditEvent

from . import policy
from .choices import ADMIN_ROLES, UNIT_SCOPED_ROLES, Role
from .models import Grant, User

USER_FIELDS = ["username", "real_name", "title", "phone", "email", "unit", "is_active"]


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    real_name: str,
    password: str | None = None,
    unit=None,
    title: str = "",
    phone: str = "",
    email: str = "",
    must_change_password: bool = True,
    check_access: bool = True,
) -> User:
    """A new account. Without a password the account cannot log in until one is set."""
    if check_access:
        policy.require_role(actor, Role.SYSTEM_ADMIN)
        if unit is not None:
            policy.require(actor, policy.CHANGE, unit)
    user = User(
        username=username,
        real_name=real_name,
        unit=unit,
        title=title,
        phone=phone,
        email=email,
        must_change_password=must_change_password,
    )
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(
        AuditEvent.USER_CREATED,
        actor=actor,
        target=user,
        parent=unit,
        changes=audit.diff({}, audit.snapshot(user, USER_FIELDS)),
    )
    return user


@transaction.atomic
def update_user(user: User, *, actor, **values) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    policy.require(actor, policy.CHANGE, user)
    before = audit.snapshot(user, USER_FIELDS)
    editable = ["real_name", "title", "phone", "email", "unit"]
    for field in editable:
        if field in values:
            setattr(user, field, values[field])
    if "unit" in values and values["unit"] is not None:
        policy.require(actor, policy.CHANGE, values["unit"])
    user.full_clean()
    user.save(update_fields=editable)
    changes = audit.diff(before, audit.snapshot(user, USER_FIELDS))
    if changes:
        audit.record(AuditEvent.USER_CHANGED, actor=actor, target=user, parent=user.unit, changes=changes)
    return user


@transaction.atomic
def set_user_active(user: User, *, actor, active: bool, reason: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    policy.require(actor, policy.CHANGE, user)
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError({"is_active": [_("不能停用自己的账号")]})
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    event = AuditEvent.USER_ACTIVATED if active else AuditEvent.USER_DEACTIVATED
    audit.record(
        event,
        actor=actor,
        target=user,
        parent=user.unit,
        changes={"is_active": [not active, active]},
        reason=reason,
    )
    if not active:
        from .sessions import end_sessions

        end_sessions(user)
    return user


def _check_grant_rules(user: User, role: str, unit, region) -> None:
    errors: dict[str, list[StrOrPromise]] = {}
    if role not in Role.values:
        errors["role"] = [_("未知的角色")]
    elif role in UNIT_SCOPED_ROLES and unit is None:
        errors["unit"] = [_("该角色的范围必须是一个单位")]
    elif role not in UNIT_SCOPED_ROLES and region is None:
        errors["region"] = [_("该角色的范围必须是一个区划")]
    if (unit is None) == (region is None):
        errors.setdefault("__all__", []).append("范围只能是一个单位或一个区划")
    held = set(Grant.objects.active().filter(user=user).values_list("role", flat=True))
    if role in ADMIN_ROLES and held - {role}:
        errors.setdefault("role", []).append("三员分立：管理员不能兼任其他角色")
    if role not in ADMIN_ROLES and held & ADMIN_ROLES:
        errors.setdefault("role", []).append("三员分立：该用户已是管理员，不能再授予业务角色")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def grant_role(*, actor, user: User, role: str, unit=None, region=None, check_access: bool = True) -> Grant:
    """Give `user` a role within a scope. Only the security admin, never to themselves."""
    user = User.objects.select_for_update().get(pk=user.pk)  # serialise grants to one user
    if check_access:
        policy.require_role(actor, Role.SECURITY_ADMIN)
        if actor.pk == user.pk:
            raise PermissionDenied(_("不能给自己授权"))
        _require_grantable(actor, user, unit, region)
    _check_grant_rules(user, role, unit, region)
    if Grant.objects.active().filter(user=user, role=role, unit=unit, region=region).exists():
        raise ValidationError({"role": [_("该用户已拥有这个角色和范围")]})
    grant = Grant.objects.create(
        user=user,
        role=role,
        unit=unit,
        region=region,
        granted_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        AuditEvent.GRANT_CREATED,
        actor=actor,
        target=grant,
        parent=user,
        description=str(grant),
        changes={"role": [None, role], "scope": [None, grant.scope_label]},
    )
    policy.forget(user)
    return grant


def _require_grantable(actor, user: User, unit, region) -> None:
    """The security admin's scope must cover the user and the scope being granted."""
    paths = policy.grants_of(actor).paths({Role.SECURITY_ADMIN})
    targets = [
        unit.region.path if unit is not None else None,
        region.path if region is not None else None,
        user.unit.region.path if user.unit is not None else None,
    ]
    for target in filter(None, targets):
        if not any(target.startswith(p) for p in paths):
            raise PermissionDenied(_("无权执行此操作"))


@transaction.atomic
def revoke_grant(grant: Grant, *, actor, reason: str = "", check_access: bool = True) -> Grant:
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if check_access:
        policy.require_role(actor, Role.SECURITY_ADMIN)
        if actor.pk == grant.user_id:
            raise PermissionDenied(_("不能撤销自己的授权"))
        policy.require(actor, policy.CHANGE, grant)
    if grant.revoked_at is not None:
        raise ValidationError({"__all__": [_("该授权已撤销")]})
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor if getattr(actor, "pk", None) else None
    grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit.record(
        AuditEvent.GRANT_REVOKED,
        actor=actor,
        target=grant,
        parent=grant.user,
        description=str(grant),
        changes={"role": [grant.role, None], "scope": [grant.scope_label, None]},
        reason=reason,
    )
    return grant
