"""Password rules (MLPS 2.0 level 3) and the text rules for names people type.

The password validators are registered in AUTH_PASSWORD_VALIDATORS, so every path that sets a
password (pages, API, CLI, services) runs them through `validate_password`.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARACTER_CLASSES = (
    (re.compile(r"[a-z]"), _("小写字母")),
    (re.compile(r"[A-Z]"), _("大写字母")),
    (re.compile(r"[0-9]"), _("数字")),
    (re.compile(r"[^a-zA-Z0-9]"), _("符号")),
)


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case, upper-case, digit, symbol."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for pattern, _label in CHARACTER_CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return str(_("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes})


class NoUsernameValidator:
    """The password must not contain the username (in any letter case)."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= 3 and username in password.casefold():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return str(_("密码不能包含用户名。"))


class PasswordHistoryValidator:
    """The password must differ from the user's last N passwords (the current one included)."""

    def __init__(self, history: int | None = None) -> None:
        self.history = history

    @property
    def depth(self) -> int:
        return self.history or int(settings.DUBAN_SECURITY.get("PASSWORD_HISTORY", 5))

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.depth]
        )
        if user.has_usable_password():
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.depth},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return str(_("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.depth})


def has_control_characters(value: str) -> bool:
    # Cc (control) and Cf (format: zero-width, bidi overrides) let a name forge log lines or
    # display differently from what it is.
    return any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in value)


def validate_plain_text(value: str) -> None:
    """Refuse control and invisible formatting characters in names and titles."""
    if value and has_control_characters(value):
        raise ValidationError(_("不能包含控制字符或不可见字符。"), code="control_characters")


PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,18}[0-9]$")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError(_("请输入有效的电话号码（数字，可含 +、- 和空格）。"), code="invalid_phone")


def validate_multiline_text(value: str) -> None:
    """Like validate_plain_text, but line breaks and tabs are allowed (reasons, notes)."""
    if value and has_control_characters(value.replace("\r", "").replace("\n", "").replace("\t", "")):
        raise ValidationError(_("不能包含控制字符或不可见字符。"), code="control_characters")


# Django's own validators, with their messages in the project's words: Django's zh_Hans catalogue
# lacks several of the current English strings, which would show through on a Chinese page.
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return str(_("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length})

    def get_help_text(self) -> str:
        return str(_("密码至少 %(n)d 个字符。") % {"n": self.min_length})


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return str(_("密码与%(verbose_name)s太相似。"))

    def get_help_text(self) -> str:
        return str(_("密码不能与您的姓名、邮箱等个人信息太相似。"))


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return str(_("这是一个常见密码，容易被猜中。"))

    def get_help_text(self) -> str:
        return str(_("不能使用常见密码。"))


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return str(_("密码不能全是数字。"))

    def get_help_text(self) -> str:
        return str(_("密码不能全是数字。"))
