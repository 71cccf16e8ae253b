"""The user register as a sheet: a system administrator imports accounts of their scope.

三员分立: this import creates and edits accounts only. Roles (联络员, 单位主要负责人 ...) are
granted by the security administrator on the grants page; an imported account has no password
until one is set by a password reset, and must change it at first login.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator, validate_email
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy, services
from duban.accounts.choices import Role
from duban.accounts.models import User
from duban.org.filters import SearchFilter
from duban.org.models import Unit
from duban.org.validators import validate_no_control_chars

from ..base import Lookup, Sheet, register
from ..columns import Column

PHONE = RegexValidator(r"^[0-9+\-() ]{3,20}$", _("电话号码只能包含数字、+、-、括号和空格"))


def changeable_units(actor) -> QuerySet[Unit]:
    return policy.scope_queryset(Unit.objects.all(), actor, policy.CHANGE)


UNITS = Lookup(changeable_units, keys=("code", "name"), label=_("单位"))


class UserFilter(django_filters.FilterSet):
    """Filters of the user export (the accounts module may replace it with the user list's own)."""

    q = SearchFilter(fields=("username", "real_name", "title"))
    unit = django_filters.CharFilter(label=_("单位代码"), field_name="unit__code", max_length=32)
    is_active = django_filters.BooleanFilter(label=_("启用"))


@register
class UserSheet(Sheet):
    key = "users"
    title = _("用户")
    model = User
    natural_key = "username"
    filterset_class = UserFilter
    import_roles = frozenset({Role.SYSTEM_ADMIN})
    export_roles = frozenset({Role.SYSTEM_ADMIN})
    list_url_name = "accounts:user_list"
    help = _(
        "按“用户名”识别账号：已存在的修改，不存在的新建。导入只建立账号，不授予角色"
        "（三员分立：角色由安全管理员授予）；新账号没有密码，需由管理员重置密码后才能登录。"
    )
    columns = [
        Column(
            "用户名",
            "username",
            required=True,
            max_length=150,
            validators=(UnicodeUsernameValidator(),),
            help=_("登录用的账号，唯一；字母、数字和 @ . + - _"),
            example="zhangsan",
        ),
        Column("姓名", "real_name", required=True, max_length=32, validators=(validate_no_control_chars,)),
        Column("职务", "title", max_length=64, validators=(validate_no_control_chars,), example="办公室主任"),
        Column("手机号", "phone", max_length=20, validators=(PHONE,), example="13800000000"),
        Column("电子邮箱", "email", max_length=254, validators=(validate_email,), width=24),
        Column("所在单位", "unit", lookup=UNITS, width=24, example="县发展和改革局"),
    ]

    def export_queryset(self, user) -> QuerySet:
        return super().export_queryset(user).select_related("unit").order_by("username")

    def create(self, values: dict[str, Any], *, actor) -> User:
        return services.create_user(actor=actor, **values)

    def update(self, obj, values: dict[str, Any], *, actor) -> User:
        values.pop("username", None)
        return services.update_user(obj, actor=actor, **values)
