"""Checks shared by the campaign services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from duban.accounts import policy
from duban.accounts.choices import Role
from duban.org.models import Region


def in_county(county: Region, role: str, user) -> bool:
    return any(county.path.startswith(p) for p in policy.grants_of(user).paths({role}))


def require_office(user, county: Region) -> None:
    if not in_county(county, Role.SUPERVISION_OFFICE, user):
        raise PermissionDenied(_("只有督查室可以执行此操作"))


def required_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


def require_not_negative(value, field: str, message) -> None:
    if value is None or value < 0:
        raise ValidationError({field: [message]})


def to_decimal(value: Any, field: str, label) -> Decimal | None:
    """A number typed by a person (or None when left empty); anything else is refused in Chinese."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("%(label)s须为数字") % {"label": label}]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("%(label)s须为数字") % {"label": label}]})
    return number
