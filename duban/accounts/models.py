"""Users and their scoped role grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from .choices import Role
from .validators import validate_phone, validate_plain_text


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        from . import policy

        return policy.scope_queryset(self, user, "view")


class DubanUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person: belongs to a unit, has a real name, title and phone."""

    real_name = models.CharField(_("姓名"), max_length=32, validators=[validate_plain_text])
    title = models.CharField(_("职务"), max_length=64, blank=True, validators=[validate_plain_text])
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_phone])
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects = DubanUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class GrantQuerySet(models.QuerySet):
    def active(self) -> GrantQuerySet:
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user) -> GrantQuerySet:
        from . import policy

        return policy.scope_queryset(self, user, "view")


class Grant(TimeStampedModel):
    """A role held within a scope: one unit, or a region subtree.

    Grants are never deleted: revoking sets `revoked_at`, which takes effect on the next
    request because the policy reads active grants afresh for every request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("范围(单位)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("范围(区划)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, region__isnull=True)
                | Q(unit__isnull=True, region__isnull=False),
                name="grant_scope_is_unit_xor_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(revoked_at__isnull=True, unit__isnull=False),
                name="grant_unique_active_unit_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(revoked_at__isnull=True, region__isnull=False),
                name="grant_unique_active_region_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return str(self.unit or self.region)


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Consecutive failed logins of one account name or one source address, and its lock.

    Keyed by the name typed (not the user row) so that unknown names lock exactly like real
    ones: the answer never tells whether an account exists.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("账号")
        ADDRESS = "address", _("来源地址")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("账号或地址"), max_length=150)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录限制")
        verbose_name_plural = _("登录限制")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_unique_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class UserSession(AbstractBaseSession):
    """A session row that also names its user, so a user's sessions end with one indexed delete."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        verbose_name = _("会话")
        verbose_name_plural = _("会话")

    @classmethod
    def get_session_store_class(cls):
        from .session_store import SessionStore

        return SessionStore


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), db_index=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"
