"""Users and their scoped role grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel

from .choices import Role


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        from . import policy

        return policy.scope_queryset(self, user, "view")


class DubanUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person: belongs to a unit, has a real name, title and phone."""

    real_name = models.CharField(_("姓名"), max_length=32)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
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
