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
    password_hash: str | None = None,
) -> User:
    """A new account. Without a password the account cannot log in until one is set.

    `password_hash` lets a bulk loader (the demo) hash one shared password once instead of
    once per account (Argon2 is slow on purpose); the plain password is still validated.
    """
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
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.password_changed_at = timezone.now()
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    if password:
        _remember_password(user)
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


# --- passwords and the second factor -----------------------------------------------------


def _remember_password(user: User) -> None:
    """Keep the new hash in the history and drop what is older than the configured depth."""
    from django.conf import settings

    from .models import PasswordHistory

    PasswordHistory.objects.create(user=user, password=user.password)
    depth = int(settings.DUBAN_SECURITY.get("PASSWORD_HISTORY", 5))
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[depth:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def _set_password(user: User, password: str, *, must_change: bool) -> None:
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _remember_password(user)


@transaction.atomic
def change_password(
    user: User, *, actor, old_password: str, new_password: str, keep_session_key: str | None = None
) -> User:
    """The user changes their own password; every other session and API token ends."""
    from .sessions import end_sessions

    user = User.objects.select_for_update().get(pk=user.pk)
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("只能修改自己的密码"))
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("原密码不正确")]})
    if old_password == new_password:
        raise ValidationError({"new_password1": [_("新密码不能与原密码相同")]})
    _set_password(user, new_password, must_change=False)
    audit.record(AuditEvent.PASSWORD_CHANGED, actor=actor, target=user, parent=user.unit)
    end_sessions(user, keep_session_key=keep_session_key)
    return user


@transaction.atomic
def reset_password(user: User, *, actor, new_password: str, check_access: bool = True) -> User:
    """An administrator sets a temporary password; the user must change it at next login.

    Ends the user's sessions and tokens and lifts a lock on the account. An administrator's
    own account (or another administrator's) is reset only from the server's command line, so
    that no administrator can take over another's account through the pages (三员分立).
    """
    from .login import unlock_account
    from .sessions import end_sessions

    user = User.objects.select_for_update().get(pk=user.pk)
    if check_access:
        policy.require(actor, policy.CHANGE, user)
        if (
            user.pk == getattr(actor, "pk", None)
            or Grant.objects.active().filter(user=user, role__in=ADMIN_ROLES).exists()
        ):
            raise PermissionDenied(_("管理员账号的密码只能在服务器上用命令行重置"))
    _set_password(user, new_password, must_change=True)
    audit.record(AuditEvent.PASSWORD_RESET, actor=actor, target=user, parent=user.unit)
    end_sessions(user)
    unlock_account(user.username)
    return user


def start_otp_setup(user: User):
    """A fresh, unconfirmed TOTP device for `user` (replacing any earlier unconfirmed one).

    Not audited: it does nothing until confirmed with a code (enable_otp), which is.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def pending_otp_device(user: User):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def enable_otp(user: User, *, actor, device, code: str, keep_session_key: str | None = None):
    """Confirm the pending device with a code from the phone; it replaces any older device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .sessions import end_sessions

    if getattr(actor, "pk", None) != user.pk or device.user_id != user.pk or device.confirmed:
        raise PermissionDenied(_("无权执行此操作"))
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) <= 16 and device.verify_token(code)):
        raise ValidationError({"code": [_("验证码不正确，请核对手机上的动态验证码后重试")]})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(AuditEvent.OTP_ENABLED, actor=actor, target=user, parent=user.unit)
    end_sessions(user, keep_session_key=keep_session_key)
    return device


@transaction.atomic
def disable_otp(user: User, *, actor, reason: str = "", check_access: bool = True) -> User:
    """Remove the user's second factor.

    The user may do it for themselves unless their roles require one; a system administrator
    may do it for a user in scope who lost the phone (not for another administrator).
    """
    from django_otp import devices_for_user

    from .security import otp_required

    user = User.objects.select_for_update().get(pk=user.pk)
    if not check_access:
        pass  # the server's command line (createadmin --reset)
    elif getattr(actor, "pk", None) == user.pk:
        if otp_required(user):
            raise ValidationError({"__all__": [_("您的角色必须使用双因素认证，不能停用")]})
    else:
        policy.require(actor, policy.CHANGE, user)
        if Grant.objects.active().filter(user=user, role__in=ADMIN_ROLES).exists():
            raise PermissionDenied(_("管理员账号的双因素认证只能在服务器上用命令行重置"))
    devices = [d for d in devices_for_user(user, confirmed=None)]
    if not devices:
        return user
    for device in devices:
        device.delete()
    audit.record(AuditEvent.OTP_DISABLED, actor=actor, target=user, parent=user.unit, reason=reason)
    return user
